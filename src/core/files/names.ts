// File names given by uploaders are shown back and used in downloads, never as paths. They lose any
// directory part, control and bidirectional-override characters, characters Windows forbids, leading
// dots, and are cut to a length every filesystem and header accepts.

// eslint-disable-next-line no-control-regex -- the C0 and C1 controls are what it removes.
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;
const WINDOWS_FORBIDDEN = /[<>:"|?*]/g;
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i;
const MAX_BYTES = 200;

function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

function cutToBytes(text: string, max: number): string {
  let out = '';
  for (const ch of text) {
    if (utf8Length(out + ch) > max) break;
    out += ch;
  }
  return out;
}

export function sanitizeFilename(input: string, fallback = 'fichier'): string {
  let name = String(input ?? '').normalize('NFC');
  name = name.split(/[\\/]/).pop() ?? '';
  name = name.replace(INVISIBLE, '').replace(WINDOWS_FORBIDDEN, '_').replace(/\s+/g, ' ');
  name = name.replace(/^[\s.]+/, '').replace(/[\s.]+$/, '');
  if (WINDOWS_DEVICE.test(name)) name = `_${name}`;
  if (utf8Length(name) > MAX_BYTES) {
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
    name = cutToBytes(name.slice(0, name.length - ext.length), MAX_BYTES - utf8Length(ext)).trimEnd() + ext;
  }
  return name || fallback;
}

/** RFC 5987 value: UTF-8, percent-encoded, keeping only attr-char unescaped. */
function rfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * `attachment; filename="<ASCII fallback>"; filename*=UTF-8''<exact name>`: old clients read the first,
 * every current browser the second. Always an attachment: stored files are never rendered by the browser.
 */
export function attachmentDisposition(filename: string): string {
  const safe = sanitizeFilename(filename);
  const ascii = safe
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '_')
    .replace(/["\\%]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${rfc5987(safe)}`;
}
