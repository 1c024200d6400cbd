// The CLI side of the administration socket: one POST per command, reading the streamed lines.
import { request } from 'node:http';
import { OperationError, type OperationName } from './operations.ts';

export class SocketUnavailableError extends Error {}

export function callAdminSocket(socketPath: string, name: OperationName, args: unknown, onProgress: (message: string) => void): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify(args ?? {});
    const req = request(
      { socketPath, method: 'POST', path: `/operations/${name}`, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let buffered = '';
        let settled = false;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffered += chunk;
          let newline: number;
          while ((newline = buffered.indexOf('\n')) !== -1) {
            const line = buffered.slice(0, newline);
            buffered = buffered.slice(newline + 1);
            if (!line) continue;
            const message = JSON.parse(line) as { progress?: string; result?: unknown; error?: string; refused?: boolean };
            if (message.progress !== undefined) onProgress(message.progress);
            else if (message.error !== undefined) {
              settled = true;
              reject(message.refused ? new OperationError(message.error) : new Error(message.error));
            } else if ('result' in message) {
              settled = true;
              resolve(message.result);
            }
          }
        });
        res.on('end', () => {
          if (settled) return;
          if (res.statusCode !== 200) reject(new Error(`the server refused the command (HTTP ${res.statusCode}): ${buffered.trim()}`));
          else reject(new Error('the server closed the connection before answering'));
        });
        res.on('error', reject);
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => {
      reject(['ENOENT', 'ECONNREFUSED'].includes(error.code ?? '') ? new SocketUnavailableError(error.message) : error);
    });
    req.end(body);
  });
}
