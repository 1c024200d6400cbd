// A minimal streaming tar (POSIX ustar) writer and reader, enough for Bastide's own backup archives:
// regular files only, names split into prefix/name when longer than 100 bytes. Node has no tar module
// and the format is small enough that a dependency is not worth it.
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import type { Writable } from 'node:stream';

const BLOCK = 512;

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

function splitName(name: string): { prefix: string; base: string } {
  if (Buffer.byteLength(name) <= 100) return { prefix: '', base: name };
  const cut = name.lastIndexOf('/', 155);
  const prefix = name.slice(0, cut);
  const base = name.slice(cut + 1);
  if (cut <= 0 || Buffer.byteLength(prefix) > 155 || Buffer.byteLength(base) > 100) throw new Error(`name too long for the archive: ${name}`);
  return { prefix, base };
}

function header(name: string, size: number, mtime: Date): Buffer {
  const h = Buffer.alloc(BLOCK);
  const { prefix, base } = splitName(name);
  h.write(base, 0, 100, 'utf8');
  h.write(octal(0o600, 8), 100, 'ascii'); // extracted by hand, entries stay private
  h.write(octal(0, 8), 108, 'ascii');
  h.write(octal(0, 8), 116, 'ascii');
  h.write(octal(size, 12), 124, 'ascii');
  h.write(octal(Math.floor(mtime.getTime() / 1000), 12), 136, 'ascii');
  h.write('        ', 148, 'ascii');
  h.write('0', 156, 'ascii');
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  h.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(octal(sum, 7) + ' ', 148, 'ascii');
  return h;
}

export class TarWriter {
  private out: Writable;
  constructor(out: Writable) {
    this.out = out;
  }

  private async write(chunk: Buffer): Promise<void> {
    if (!this.out.write(chunk)) await once(this.out, 'drain');
  }

  async addBuffer(name: string, data: Buffer | Uint8Array, mtime = new Date()): Promise<void> {
    await this.write(header(name, data.byteLength, mtime));
    await this.write(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    await this.pad(data.byteLength);
  }

  /** Streams a file from disk; `size` is the size seen when listing (the file must not change meanwhile). */
  async addFile(name: string, path: string, size: number, mtime: Date): Promise<void> {
    await this.write(header(name, size, mtime));
    let written = 0;
    for await (const chunk of createReadStream(path, { start: 0, end: Math.max(size - 1, 0) })) {
      if (size === 0) break;
      await this.write(chunk as Buffer);
      written += (chunk as Buffer).length;
    }
    if (written !== size) throw new Error(`${path} changed while it was being archived`);
    await this.pad(size);
  }

  /** Streams `size` bytes from a readable (an object store's download); errors when it gives another count. */
  async addStream(name: string, source: AsyncIterable<Buffer | Uint8Array>, size: number, mtime: Date): Promise<void> {
    await this.write(header(name, size, mtime));
    let written = 0;
    for await (const chunk of source) {
      const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      if (written + bytes.length > size) throw new Error(`${name} is longer than announced`);
      await this.write(bytes);
      written += bytes.length;
    }
    if (written !== size) throw new Error(`${name} is shorter than announced`);
    await this.pad(size);
  }

  private async pad(size: number): Promise<void> {
    const rest = size % BLOCK;
    if (rest) await this.write(Buffer.alloc(BLOCK - rest));
  }

  async finish(): Promise<void> {
    await this.write(Buffer.alloc(BLOCK * 2));
    this.out.end();
    await once(this.out, 'finish');
  }
}

/** Pulls exact byte counts out of a chunked stream. */
class ByteSource {
  private iterator: AsyncIterator<Buffer>;
  private pending: Buffer = Buffer.alloc(0);
  constructor(source: AsyncIterable<Buffer>) {
    this.iterator = source[Symbol.asyncIterator]();
  }
  /** Up to `max` bytes (at least one), or null at the end of the stream. */
  async read(max: number): Promise<Buffer | null> {
    if (this.pending.length === 0) {
      const next = await this.iterator.next();
      if (next.done) return null;
      this.pending = next.value;
    }
    const chunk = this.pending.subarray(0, max);
    this.pending = this.pending.subarray(chunk.length);
    return chunk;
  }
  async exact(size: number): Promise<Buffer> {
    const parts: Buffer[] = [];
    let got = 0;
    while (got < size) {
      const chunk = await this.read(size - got);
      if (!chunk) throw new Error('the archive is truncated');
      parts.push(chunk);
      got += chunk.length;
    }
    return Buffer.concat(parts, size);
  }
}

function field(h: Buffer, start: number, length: number): string {
  const raw = h.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? length : end).toString('utf8');
}

export interface TarEntry {
  name: string;
  size: number;
  /** The entry's bytes in chunks; must be consumed (or skipped with `drain`) before the next entry. */
  chunks(): AsyncGenerator<Buffer>;
}

/** Reads entries in order. Only regular files are returned; directories are skipped. */
export async function* readTar(source: AsyncIterable<Buffer>): AsyncGenerator<TarEntry> {
  const bytes = new ByteSource(source);
  for (;;) {
    const h = await bytes.exact(BLOCK);
    if (h.every((b) => b === 0)) return;
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
    if (sum !== parseInt(field(h, 148, 8).trim(), 8)) throw new Error('the archive is damaged (bad header checksum)');
    const prefix = field(h, 345, 155);
    const name = prefix ? `${prefix}/${field(h, 0, 100)}` : field(h, 0, 100);
    const size = parseInt(field(h, 124, 12).trim() || '0', 8);
    const type = field(h, 156, 1) || '0';
    let remaining = size;
    const chunks = async function* () {
      while (remaining > 0) {
        const chunk = await bytes.read(Math.min(remaining, 1 << 20));
        if (!chunk) throw new Error('the archive is truncated');
        remaining -= chunk.length;
        yield chunk;
      }
    };
    if (type === '0') yield { name, size, chunks };
    for await (const _ of chunks()) {
      /* skip what the consumer left */
    }
    const rest = size % BLOCK;
    if (rest) await bytes.exact(BLOCK - rest);
  }
}
