// Bytes to text, streaming. UTF-8 first (its BOM dropped), as Validata tries it first; a file that is not
// UTF-8 is nearly always Windows-1252 (Excel's "CSV" on a French Windows), so it is read as such with a
// warning. UTF-16 with a BOM (Excel's "Unicode text") is read too. The decision can come late: a file may
// be plain ASCII for 900 MB and hold "é" in Latin-1 on its last line. Until a non-ASCII character has been
// decoded, switching costs nothing (ASCII is the same in both); after one, invalid UTF-8 means a file that
// mixes encodings, and that is an encoding error. NUL bytes at the start mean a binary file, not a CSV.

export type Encoding = 'utf-8' | 'windows-1252' | 'utf-16le' | 'utf-16be';

export class DecodeError extends Error {
  readonly kind: 'binary' | 'invalid-utf8';
  constructor(kind: 'binary' | 'invalid-utf8', message: string) {
    super(message);
    this.kind = kind;
  }
}

const SNIFF_BYTES = 8192;
// eslint-disable-next-line no-control-regex -- ASCII is 0x00-0x7f, NUL included.
const NON_ASCII = /[^\x00-\x7f]/;

export class StreamDecoder {
  encoding: Encoding | null = null;
  bom = false;
  /** True when the file was not UTF-8 and was read as Windows-1252. */
  fellBack = false;
  bytes = 0;
  private decoder: TextDecoder | null = null;
  private head: Uint8Array | null = null;
  private sawNonAscii = false;
  /** Bytes ≥ 0x80 at the end of the previous chunk, held by the UTF-8 decoder as an unfinished character. */
  private pending: Uint8Array = new Uint8Array(0);

  push(chunk: Uint8Array): string {
    this.bytes += chunk.length;
    if (!this.decoder) {
      // Wait for a few bytes to recognise a BOM and binary content.
      this.head = this.head ? concat(this.head, chunk) : chunk;
      if (this.head.length < SNIFF_BYTES) return '';
      const head = this.head;
      this.head = null;
      return this.start(head);
    }
    return this.decode(chunk, true);
  }

  end(): string {
    if (!this.decoder) {
      const head = this.head ?? new Uint8Array(0);
      this.head = null;
      return this.start(head) + this.decode(new Uint8Array(0), false);
    }
    return this.decode(new Uint8Array(0), false);
  }

  private start(head: Uint8Array): string {
    let body = head;
    if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
      this.encoding = 'utf-8';
      this.bom = true;
      body = head.subarray(3);
    } else if (head[0] === 0xff && head[1] === 0xfe) {
      this.encoding = 'utf-16le';
      this.bom = true;
      body = head.subarray(2);
    } else if (head[0] === 0xfe && head[1] === 0xff) {
      this.encoding = 'utf-16be';
      this.bom = true;
      body = head.subarray(2);
    } else {
      this.encoding = 'utf-8';
      if (head.indexOf(0) !== -1) {
        throw new DecodeError('binary', 'binary');
      }
    }
    this.decoder = new TextDecoder(this.encoding, { fatal: this.encoding === 'utf-8' });
    return this.decode(body, true);
  }

  private decode(chunk: Uint8Array, stream: boolean): string {
    if (this.encoding !== 'utf-8' || this.fellBack) return this.decoder!.decode(chunk, { stream });
    try {
      const text = this.decoder!.decode(chunk, { stream });
      if (!this.sawNonAscii && NON_ASCII.test(text)) this.sawNonAscii = true;
      if (!this.sawNonAscii) this.pending = trailingHigh(chunk, this.pending);
      return text;
    } catch {
      // Valid UTF-8 characters before the invalid byte (in this chunk or an earlier one): mixed encodings.
      const probe = new TextDecoder('utf-8').decode(concat(this.pending, chunk));
      // eslint-disable-next-line no-control-regex -- ASCII is 0x00-0x7f, NUL included.
      if (this.sawNonAscii || /[^\x00-\x7f\ufffd]/.test(probe)) {
        throw new DecodeError('invalid-utf8', 'invalid-utf8');
      }
      // Only ASCII so far: the same text in Windows-1252, from the bytes the UTF-8 decoder still held.
      this.fellBack = true;
      this.encoding = 'windows-1252';
      this.decoder = new TextDecoder('windows-1252');
      return this.decoder.decode(concat(this.pending, chunk), { stream });
    }
  }
}

/** The bytes ≥ 0x80 ending `chunk` (at most 3: an unfinished UTF-8 character), after those held before. */
function trailingHigh(chunk: Uint8Array, before: Uint8Array): Uint8Array {
  let n = 0;
  while (n < 3 && n < chunk.length && chunk[chunk.length - 1 - n]! >= 0x80) n++;
  if (n === chunk.length && before.length) return concat(before, chunk).subarray(-3);
  return chunk.slice(chunk.length - n);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
