// Reading parts of a zip (XLSX and ODS are zips of XML) with every size bounded before and while reading:
// the entry count, each part's declared and actual uncompressed size, and the total read. yauzl reads the
// central directory, refuses absolute and `..` names, and stops a part whose bytes exceed its declared size
// (validateEntrySizes), so a part that lies about its size cannot inflate past its limit either.
import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';
import { SourceError } from '../validation/validate.ts';
import type { SheetLimits } from './limits.ts';

export interface ZipParts {
  has(name: string): boolean;
  /** The part's bytes as they inflate, at most `limits.partBytes` (and what is left of the total). */
  read(name: string): AsyncGenerator<Buffer>;
  close(): void;
}

const mib = (n: number) => `${Math.round(n / 1024 / 1024)} Mo`;

function unreadable(format: string, note: string): SourceError {
  return new SourceError('source-error.spreadsheet-unreadable', { format, note });
}

function openBuffer(bytes: Buffer): Promise<ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.fromBuffer(bytes, { lazyEntries: true, validateEntrySizes: true, strictFileNames: true, decodeStrings: true }, (error, zip) =>
      error ? reject(error) : resolve(zip),
    ),
  );
}

function isNameError(error: unknown): boolean {
  return error instanceof Error && /^(invalid relative path|absolute path|invalid characters in fileName)/.test(error.message);
}

export async function openZip(bytes: Buffer, format: string, limits: SheetLimits): Promise<ZipParts> {
  let zip: ZipFile;
  try {
    zip = await openBuffer(bytes);
  } catch (error) {
    throw unreadable(format, `zip : ${(error as Error).message.slice(0, 120)}`);
  }
  if (zip.entryCount > limits.entries) {
    zip.close();
    throw new SourceError('source-error.spreadsheet-entries', { limit: limits.entries });
  }
  const entries = new Map<string, Entry>();
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: Entry) => {
        // A repeated name would let two readers see two different parts under one name.
        if (entries.has(entry.fileName)) return reject(new SourceError('source-error.spreadsheet-path'));
        entries.set(entry.fileName, entry);
        zip.readEntry();
      });
      zip.on('end', () => resolve());
      zip.on('error', reject);
      zip.readEntry();
    });
  } catch (error) {
    zip.close();
    if (error instanceof SourceError) throw error;
    if (isNameError(error)) throw new SourceError('source-error.spreadsheet-path');
    throw unreadable(format, `zip : ${(error as Error).message.slice(0, 120)}`);
  }
  let total = 0;
  return {
    has: (name) => entries.has(name),
    close: () => zip.close(),
    async *read(name) {
      const entry = entries.get(name);
      if (!entry) throw unreadable(format, `partie manquante : ${name}`);
      const max = Math.min(limits.partBytes, limits.totalBytes - total);
      if (entry.uncompressedSize > max) throw new SourceError('source-error.spreadsheet-bomb', { limit: mib(limits.partBytes), part: name });
      const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) =>
        zip.openReadStream(entry, (error, s) => (error ? reject(unreadable(format, `${name} : ${error.message.slice(0, 120)}`)) : resolve(s))),
      );
      let read = 0;
      try {
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          read += chunk.length;
          total += chunk.length;
          if (read > max) throw new SourceError('source-error.spreadsheet-bomb', { limit: mib(limits.partBytes), part: name });
          yield chunk;
        }
      } catch (error) {
        if (error instanceof SourceError) throw error;
        // validateEntrySizes: more (or fewer) bytes than declared, a bad CRC or a broken deflate stream.
        throw unreadable(format, `${name} : ${(error as Error).message.slice(0, 120)}`);
      } finally {
        (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      }
    },
  };
}
