// One process only may open an embedded database folder (two were seen to corrupt a table). The lock
// is a file created exclusively, holding the owner's pid; a lock left by a dead process is taken over.
import { mkdirSync, openSync, readFileSync, unlinkSync, writeSync, closeSync } from 'node:fs';
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

/** Takes the lock or throws FolderLockedError. Returns the release function. */
export function acquireFolderLock(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const path = lockPath(dataDir);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try {
          if (readFileSync(path, 'utf8').trim() === String(process.pid)) unlinkSync(path);
        } catch { /* already gone */ }
      };
      process.once('exit', release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = lockHolder(dataDir);
      if (holder) throw new FolderLockedError(holder, path);
      try { unlinkSync(path); } catch { /* raced with another taker */ }
    }
  }
  throw new FolderLockedError(lockHolder(dataDir) ?? 0, path);
}
