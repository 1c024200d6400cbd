// Where the administration socket of a data folder lives. Unix socket paths are limited to about 107
// bytes; a deeper data folder gets its socket in the temporary folder under a name derived from it, so
// the server and the CLI always agree without asking each other.
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const MAX_SOCKET_PATH = 100;

export function adminSocketPath(dataDir: string): string {
  const preferred = join(resolve(dataDir), 'bastide.sock');
  if (Buffer.byteLength(preferred) <= MAX_SOCKET_PATH) return preferred;
  return join(tmpdir(), `bastide-${createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 16)}.sock`);
}
