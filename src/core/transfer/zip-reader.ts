// Reading a tenant archive (a zip) that may be hostile: yauzl reads the central directory, refuses
// absolute and `..` names (strictFileNames), and stops an entry whose bytes exceed its declared size
// (validateEntrySizes), so a part cannot inflate past what the checks below accepted. Names never become
// paths: parts are read by name into memory or into the blob store's temporary files.
import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';
import { TransferError } from './format.ts';

export interface ArchiveReader {
  entries: Map<string, Entry>;
  read(name: string): Promise<NodeJS.ReadableStream>;
  close(): void;
}

export async function openArchive(path: string, maxEntries: number): Promise<ArchiveReader> {
  const zip = await new Promise<ZipFile>((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: true, decodeStrings: true }, (error, z) =>
      error ? reject(new TransferError(`not a readable archive: ${error.message.slice(0, 200)}`)) : resolve(z),
    ),
  );
  if (zip.entryCount > maxEntries) {
    zip.close();
    throw new TransferError(`the archive has ${zip.entryCount} entries, more than the ${maxEntries} allowed`);
  }
  const entries = new Map<string, Entry>();
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: Entry) => {
        if (entries.has(entry.fileName)) return reject(new TransferError(`the archive holds "${entry.fileName}" twice`));
        entries.set(entry.fileName, entry);
        zip.readEntry();
      });
      zip.on('end', () => resolve());
      zip.on('error', (error: Error) => reject(error instanceof TransferError ? error : new TransferError(`damaged archive: ${error.message.slice(0, 200)}`)));
      zip.readEntry();
    });
  } catch (error) {
    zip.close();
    throw error;
  }
  return {
    entries,
    close: () => zip.close(),
    read: (name) =>
      new Promise((resolve, reject) => {
        const entry = entries.get(name);
        if (!entry) return reject(new TransferError(`the archive has no part ${name}`));
        zip.openReadStream(entry, (error, stream) => (error ? reject(new TransferError(`${name}: ${error.message.slice(0, 200)}`)) : resolve(stream)));
      }),
  };
}

/** The lines of a stream, each at most `maxBytes` (a longer one is refused, never buffered). */
export async function* lines(stream: NodeJS.ReadableStream, maxBytes: number, name: string): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl === -1) break;
      const piece = chunk.subarray(start, nl);
      if (pendingBytes + piece.length > maxBytes) throw new TransferError(`${name}: a line is longer than ${maxBytes} bytes`);
      yield pending.length ? Buffer.concat([...pending, piece]) : piece;
      pending = [];
      pendingBytes = 0;
      start = nl + 1;
    }
    const rest = chunk.subarray(start);
    pendingBytes += rest.length;
    if (pendingBytes > maxBytes) throw new TransferError(`${name}: a line is longer than ${maxBytes} bytes`);
    if (rest.length) pending.push(Buffer.from(rest));
  }
  if (pendingBytes) throw new TransferError(`${name}: the last line has no end (truncated part)`);
}
