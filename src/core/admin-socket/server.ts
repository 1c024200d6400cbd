// The administration socket: while the server holds the embedded data folder, no other process may open
// it, so the CLI sends its commands here. A second, small Fastify instance listening ONLY on a Unix socket
// (mode 0600, in a 0700 folder: the account that runs the server) — never on the TCP port. Each call streams
// newline-delimited JSON: progress lines, then one result or error line.
import { chmodSync, unlinkSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from '../../config.ts';
import type { Database } from '../db/database.ts';
import { adminSocketPath, checkSocketFolder } from './path.ts';
import { isOperationName, OperationError, runOperation, type DemoSeeder } from './operations.ts';

export interface AdminSocket {
  path: string;
  close(): Promise<void>;
}

export interface AdminSocketDeps {
  db: Database;
  config: Config;
  tenantsChanged?: () => void;
  tokensChanged?: () => void;
  /** What `seed.demo` runs: passed in by the server start (src/server.ts), core imports no module. */
  seedDemo?: DemoSeeder;
  log?: { error: (obj: object, msg: string) => void };
}

export function buildAdminApp(deps: AdminSocketDeps): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 });
  app.get('/status', async () => ({ pid: process.pid, engine: deps.db.engine }));
  app.post('/operations/:name', async (request, reply) => {
    const { name } = request.params as { name: string };
    if (!isOperationName(name)) return reply.code(404).send({ error: `unknown operation ${name}` });
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, { 'content-type': 'application/x-ndjson' });
    const send = (line: object) => raw.write(`${JSON.stringify(line)}\n`);
    try {
      const result = await runOperation(
        {
          db: deps.db,
          config: deps.config,
          tenantsChanged: deps.tenantsChanged,
          tokensChanged: deps.tokensChanged,
          seedDemo: deps.seedDemo,
          progress: (message) => send({ progress: message }),
        },
        name,
        request.body,
      );
      send({ result });
    } catch (error) {
      if (!(error instanceof OperationError)) deps.log?.error({ err: error, operation: name }, 'administration operation failed');
      send({ error: (error as Error).message, refused: error instanceof OperationError });
    }
    raw.end();
  });
  return app;
}

export async function startAdminSocket(deps: AdminSocketDeps): Promise<AdminSocket> {
  const path = adminSocketPath(deps.config.dataDir);
  // In a folder of ours alone (path.ts), 0700 before the socket exists, so the moment between its
  // creation (umask 077 in main.ts) and its chmod to 0600 gives no other account a way in.
  checkSocketFolder(path, { create: true });
  // Left behind by a server that was killed: we hold the folder lock, so it is ours to replace.
  try {
    unlinkSync(path);
  } catch {
    /* none */
  }
  const app = buildAdminApp(deps);
  await app.listen({ path });
  chmodSync(path, 0o600);
  return {
    path,
    async close() {
      await app.close();
      try {
        unlinkSync(path);
      } catch {
        /* already gone */
      }
    },
  };
}
