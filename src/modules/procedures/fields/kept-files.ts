// Files already received, carried by a re-rendered form (an error elsewhere, "add another") as signed
// hidden values `_kept`: the form view writes them (views/procedure-form.ts), the routes read them back.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FileAnswer } from './values.ts';
import type { FormBody } from './parse-form.ts';

/**
 * Files already received survive a re-rendered form (an error elsewhere, "add another") as signed
 * hidden values: the browser cannot claim a file it did not upload, nor one of another dossier.
 */
export function signKeptFile(secret: string, path: string, file: FileAnswer): string {
  const payload = Buffer.from(JSON.stringify({ path, file })).toString('base64url');
  return `${payload}.${createHmac('sha256', secret).update(`kept-file:${payload}`).digest('base64url')}`;
}

export function keptFiles(secret: string, body: FormBody): Record<string, FileAnswer[]> {
  const out: Record<string, FileAnswer[]> = {};
  const values = body._kept === undefined ? [] : Array.isArray(body._kept) ? body._kept : [body._kept];
  for (const value of values) {
    const [payload, mac] = value.split('.');
    if (!payload || !mac) continue;
    const expected = createHmac('sha256', secret).update(`kept-file:${payload}`).digest('base64url');
    if (mac.length !== expected.length || !timingSafeEqual(Buffer.from(mac), Buffer.from(expected))) continue;
    try {
      const { path, file } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { path: string; file: FileAnswer };
      (out[path] ??= []).push(file);
    } catch {
      // A damaged value is simply not kept.
    }
  }
  return out;
}
