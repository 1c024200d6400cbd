// Test support of the tenant archive (src/core/transfer/): apps on a chosen engine, and hostile copies of
// an archive (parts changed, added or renamed; digests recomputed or not).
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import type { Manifest } from '../../../src/core/transfer/format.ts';

/** A test app on PGlite, or on PostgreSQL when the run has a test server. */
export async function startAppOn(engine: 'pglite' | 'postgresql'): Promise<TestApp> {
  const saved = { a: process.env.BASTIDE_TEST_DATABASE_URL, b: process.env.DATABASE_URL };
  if (engine === 'pglite') {
    delete process.env.BASTIDE_TEST_DATABASE_URL;
    delete process.env.DATABASE_URL;
  }
  try {
    return await startTestApp();
  } finally {
    if (saved.a !== undefined) process.env.BASTIDE_TEST_DATABASE_URL = saved.a;
    if (saved.b !== undefined) process.env.DATABASE_URL = saved.b;
  }
}

export function hasPostgres(): boolean {
  return Boolean(process.env.BASTIDE_TEST_DATABASE_URL || process.env.DATABASE_URL);
}

export async function readZip(path: string): Promise<Map<string, Buffer>> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => yauzl.open(path, { lazyEntries: true }, (e, z) => (e ? reject(e) : resolve(z))));
  const parts = new Map<string, Buffer>();
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      zip.openReadStream(entry, (error, stream) => {
        if (error) return reject(error);
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          parts.set(entry.fileName, Buffer.concat(chunks));
          zip.readEntry();
        });
      });
    });
    zip.on('end', () => resolve());
    zip.on('error', reject);
    zip.readEntry();
  });
  return parts;
}

/** Writes parts as a zip, names taken as given (`../x` included: yazl refuses those, so raw names are patched in). */
export async function writeZip(path: string, parts: Map<string, Buffer>): Promise<void> {
  const zip = new yazl.ZipFile();
  const out = createWriteStream(path);
  zip.outputStream.pipe(out);
  for (const [name, bytes] of parts) zip.addBuffer(bytes, name);
  zip.end();
  await finished(out);
}

export function manifestOf(parts: Map<string, Buffer>): Manifest {
  return JSON.parse(parts.get('manifest.json')!.toString('utf8')) as Manifest;
}

/** Sets a part's content; with `fix`, the manifest's size and digest follow (the archive stays consistent). */
export function setPart(parts: Map<string, Buffer>, name: string, bytes: Buffer, fix = true): void {
  parts.set(name, bytes);
  if (!fix) return;
  const m = manifestOf(parts);
  const p = m.parts.find((x) => x.name === name);
  if (p) {
    p.bytes = bytes.length;
    p.sha256 = createHash('sha256').update(bytes).digest('hex');
    if (p.kind === 'table' || p.kind === 'people') p.rows = bytes.toString('utf8').split('\n').filter(Boolean).length;
  }
  parts.set('manifest.json', Buffer.from(JSON.stringify(m)));
}

/** The rows of a JSON lines part, changed by `fn`, written back (digests fixed). */
export function editRows(parts: Map<string, Buffer>, name: string, fn: (rows: Record<string, unknown>[]) => Record<string, unknown>[]): void {
  const rows = parts
    .get(name)!
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  setPart(
    parts,
    name,
    Buffer.from(
      fn(rows)
        .map((r) => `${JSON.stringify(r)}\n`)
        .join(''),
      'utf8',
    ),
  );
}

export function tablePart(parts: Map<string, Buffer>, table: string): string {
  const name = [...parts.keys()].find((n) => n.endsWith(`-${table}.jsonl`));
  if (!name) throw new Error(`no part for ${table}`);
  return name;
}
