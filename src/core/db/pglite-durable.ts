// Durable commits on the embedded engine.
//
// What PGlite 0.5.17 does on Node (read in node_modules/@electric-sql/pglite/dist/pglite.js, and reported
// upstream as electric-sql/pglite#1107): it starts PostgreSQL with `-F` (fsync off), and even with fsync
// on nothing would reach the disk: the emscripten `fd_sync` (what fsync() becomes) calls the file
// system's `stream_ops.fsync` and returns success when there is none — NODEFS has none — and
// `fdatasync()` returns success without calling anything. A commit is then written to the operating
// system's cache only: it survives the process being killed, not a power cut or a kernel crash.
//
// The durable mode closes both gaps: NODEFS gets an `fsync` that calls the real fsync(2) on the host
// descriptor, PostgreSQL runs with fsync on and syncs its WAL with fsync() (`wal_sync_method=fsync`,
// because fdatasync stays a no-op), so a commit is answered only after its WAL record is on disk, and a
// checkpoint only after the data files it relies on are. The cluster files PGlite writes from JavaScript
// at creation are never synced by PostgreSQL: the whole folder is synced once at each open.
import { closeSync, fsyncSync, lstatSync, openSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { NodeFS } from '@electric-sql/pglite/nodefs';
import type { PGlite } from '@electric-sql/pglite';

/** The parts of emscripten's NODEFS this module relies on (checked at start: a PGlite upgrade may change them). */
interface NodefsInternals {
  stream_ops: { fsync?: (stream: { nfd?: number; node: unknown }) => number };
  realPath(node: unknown): string;
  tryFSOperation<T>(fn: () => T): T;
}

type InitResult = Awaited<ReturnType<NodeFS['init']>>;

/** Fires for each fsync the engine asks for (tests count them; the syscall itself is checked with strace). */
let onEngineFsync: ((path: string) => void) | null = null;
export function watchEngineFsync(fn: ((path: string) => void) | null): void {
  onEngineFsync = fn;
}

function installFsync(nodefs: NodefsInternals | undefined): void {
  if (!nodefs?.stream_ops || typeof nodefs.realPath !== 'function' || typeof nodefs.tryFSOperation !== 'function') {
    throw new Error(
      'this version of PGlite does not expose NODEFS as expected: durable commits cannot be guaranteed (unset BASTIDE_EMBEDDED_DURABLE or check src/core/db/pglite-durable.ts)',
    );
  }
  nodefs.stream_ops.fsync = (stream) => {
    nodefs.tryFSOperation(() => {
      if (typeof stream.nfd === 'number') {
        fsyncSync(stream.nfd);
      } else {
        // A stream without a host descriptor (a directory, on some emscripten versions): open it to sync.
        const fd = openSync(nodefs.realPath(stream.node), 'r');
        try {
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
      }
    });
    if (onEngineFsync) onEngineFsync(nodefs.realPath(stream.node));
    return 0;
  };
}

/** NodeFS whose fsync reaches the disk. An error of fsync(2) becomes EIO in PostgreSQL, which then stops. */
export class DurableNodeFS extends NodeFS {
  override async init(pg: PGlite, opts: Parameters<NodeFS['init']>[1]): Promise<InitResult> {
    const result = await super.init(pg, opts);
    const preRun = [...(result.emscriptenOpts.preRun ?? [])];
    preRun.unshift((mod: { NODEFS?: unknown }) => installFsync(mod.NODEFS as NodefsInternals | undefined));
    return { emscriptenOpts: { ...result.emscriptenOpts, preRun } };
  }
}

/** PGlite's start parameters with fsync on and the WAL synced by fsync() (see above for why not fdatasync). */
export function durableStartParams(params: readonly string[]): string[] {
  return [...params.filter((p) => p !== '-F'), '-c', 'fsync=on', '-c', 'wal_sync_method=fsync'];
}

/** fsync(2) on every file and folder under `root`, then on its parent folder (which holds its entry). */
export function syncTree(root: string): number {
  let synced = 0;
  const sync = (path: string) => {
    const fd = openSync(path, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    synced += 1;
  };
  const visit = (path: string) => {
    const st = lstatSync(path);
    if (st.isSymbolicLink()) return;
    if (st.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
    if (st.isDirectory() || st.isFile()) sync(path);
  };
  visit(root);
  sync(dirname(root));
  return synced;
}
