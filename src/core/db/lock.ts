// One process only may open an embedded database folder (two were seen to corrupt a table). The lock
// is a file created exclusively, holding the owner's pid; a lock left by a dead process is taken over.
// (Node has no flock(); a pid file is portable and readable by the CLI to find the server.)
import { randomBytes } from 'node:crypto';
import { closeSync, linkSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export class FolderLockedError extends Error {
  readonly pid: number;
  readonly path: string;
  constructor(pid: number, path: string) {
    super(`the data folder is in use by process ${pid} (${path})`);
    this.pid = pid;
    this.path = path;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function lockPath(dataDir: string): string {
  return join(dataDir, 'bastide.lock');
}

/** Returns the pid holding the lock, or null when free (or stale). */
export function lockHolder(dataDir: string): number | null {
  try {
    const pid = Number(readFileSync(lockPath(dataDir), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid) ? pid : null;
  } catch {
    return null;
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Removes a lock left by a dead process. Only the process holding `<lock>.takeover` may do it, and it
 * looks again under that guard: without it, two starting processes could both see the dead pid, and
 * the slower one would remove the lock the faster one had just taken. A guard older than a few seconds
 * was left by a process that died in these few lines, and is removed.
 */
function removeStaleLock(dataDir: string, path: string): boolean {
  const guard = `${path}.takeover`;
  let fd: number;
  try {
    fd = openSync(guard, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    try {
      if (Date.now() - statSync(guard).mtimeMs > 5000) unlinkSync(guard);
    } catch {
      /* gone meanwhile */
    }
    return false;
  }
  try {
    if (lockHolder(dataDir) === null) {
      try {
        unlinkSync(path);
      } catch {
        /* already gone */
      }
    }
  } finally {
    closeSync(fd);
    try {
      unlinkSync(guard);
    } catch {
      /* gone */
    }
  }
  return true;
}

/** Takes the lock or throws FolderLockedError. Returns the release function. */
export function acquireFolderLock(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const path = lockPath(dataDir);
  // The lock appears with its content in one step (a hard link of a finished file), so no process can
  // ever read an empty lock and take it for a stale one.
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(temp, String(process.pid));
  try {
    for (let attempt = 0; attempt < 50; attempt++) {
      try {
        linkSync(temp, path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const holder = lockHolder(dataDir);
        if (holder) throw new FolderLockedError(holder, path);
        if (!removeStaleLock(dataDir, path)) sleepSync(50);
        continue;
      }
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try {
          if (readFileSync(path, 'utf8').trim() === String(process.pid)) unlinkSync(path);
        } catch {
          /* already gone */
        }
      };
      process.once('exit', release);
      return release;
    }
  } finally {
    try {
      unlinkSync(temp);
    } catch {
      /* gone */
    }
  }
  throw new FolderLockedError(lockHolder(dataDir) ?? 0, path);
}
