// The limit of the start and memory benchmarks: a bare process that only opens the same database
// (engine, folder or server) and answers one query — what the server cannot do without. Prints one JSON
// line {readyMs, rssMiB} measured in this process; the caller measures the wall time from spawn.
import { loadConfig } from '../../src/config.ts';
import { openDatabase } from '../../src/core/db/open.ts';

const config = loadConfig();
const db = await openDatabase(config);
await db.transaction(null, (tx) => tx.query('select 1'));
// Let the engine settle as an idle server would before reading its memory.
await new Promise((r) => setTimeout(r, Number(process.env.IDLE_MS ?? 0)));
console.log(JSON.stringify({ rssMiB: process.memoryUsage().rss / 1024 / 1024 }));
await db.close();
