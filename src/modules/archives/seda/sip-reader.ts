// Reading a SEDA 2.3 ArchiveTransfer package (SIP): a zip holding a manifest and the objects it lists.
//
// Order of checks, cheapest first, and nothing inflated before the zip's directory is judged safe:
//   1. the central directory: entry count, paths (absolute, "..", backslash), symlinks, encryption,
//      duplicates, compression method, declared sizes (total and ratio: zip bomb);
//   2. the manifest: size cap, no DTD, well-formed, valid against the official XSDs, references resolve;
//   3. the objects' paths against the entries: listed but missing, present but not listed;
//   4. the objects themselves, streamed to the caller's directory while being counted and hashed: the zip
//      bomb caps hold on the inflated bytes (not only the declared sizes), then size and digest are
//      compared with the manifest.
// Every issue found is reported (SedaError.issues); if there is one, the package is refused whole and what
// was written is removed. On success the caller owns `dir` and moves the objects into its store.
import { createHash, type Hash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Worker } from 'node:worker_threads';
import yauzl from 'yauzl';
import { DIGEST_ALGORITHMS, readArchiveTransfer, type ParsedManifest } from './manifest-reader.ts';
import { issue, SedaError, type SedaIssue } from './messages.ts';
import { unsafePath } from './paths.ts';
import type { SedaArchiveTransfer, SedaBinaryObject } from './types.ts';
import { withValidSedaDocument } from './xml.ts';

export interface SipLimits {
  /** Files in the zip (directories included). */
  maxEntries: number;
  /** Bytes once inflated, all files together: counted on the inflated bytes, not only the declared sizes. */
  maxTotalBytes: number;
  /** One object's size. */
  maxObjectBytes: number;
  /** Inflated / compressed size of one file, above `ratioFloorBytes` (small files may compress very well). */
  maxRatio: number;
  ratioFloorBytes: number;
  maxManifestBytes: number;
  maxUnits: number;
  maxDepth: number;
}

export const DEFAULT_SIP_LIMITS: SipLimits = {
  maxEntries: 20_000,
  maxTotalBytes: 8 * 1024 ** 3,
  maxObjectBytes: 4 * 1024 ** 3,
  maxRatio: 200,
  ratioFloorBytes: 1024 ** 2,
  maxManifestBytes: 64 * 1024 ** 2,
  maxUnits: 100_000,
  maxDepth: 64,
};

export interface ExtractedObject {
  object: SedaBinaryObject;
  /** Where the bytes are, inside the result's `dir`. */
  path: string;
  size: number;
  /** Computed on the bytes (hex), whatever the manifest declared: what the archives keep (issue 13). */
  sha512: string;
  sha256: string;
}

export interface ReadSipResult {
  /** A directory created inside the caller's workDir: manifest.xml and objects/<n>. The caller removes it. */
  dir: string;
  /** The manifest's name in the zip, and its copy in `dir`. */
  manifestName: string;
  manifestPath: string;
  transfer: SedaArchiveTransfer;
  objects: ExtractedObject[];
}

/** Thrown inside a stream to stop it with a reason. */
class Refusal extends Error {
  readonly issue: SedaIssue;
  constructor(i: SedaIssue) {
    super(i.key);
    this.issue = i;
  }
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

function openZip(path: string): Promise<yauzl.ZipFile> {
  return yauzl.openPromise(path, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true, strictFileNames: true });
}

interface Listed {
  entry: yauzl.Entry;
  name: string;
}

async function listEntries(zip: yauzl.ZipFile, limits: SipLimits, issues: SedaIssue[]): Promise<Map<string, Listed>> {
  const files = new Map<string, Listed>();
  const seen = new Set<string>();
  let declaredTotal = 0;
  if (zip.entryCount > limits.maxEntries) {
    issues.push(issue('archives.seda.zip.too_many_entries', { max: limits.maxEntries }));
    return files;
  }
  for await (const entry of zip.eachEntry()) {
    const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileName as unknown as Buffer, entry.extraFields, true);
    if (unsafePath(name)) {
      issues.push(issue('archives.seda.zip.unsafe_path', { name }));
      continue;
    }
    const key = name.normalize('NFC').toLowerCase();
    if (seen.has(key)) issues.push(issue('archives.seda.zip.duplicate', { name }));
    seen.add(key);
    if (((entry.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK) {
      issues.push(issue('archives.seda.zip.symlink', { name }));
      continue;
    }
    if (entry.isEncrypted()) {
      issues.push(issue('archives.seda.zip.encrypted', { name }));
      continue;
    }
    if (name.endsWith('/')) continue;
    if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
      issues.push(issue('archives.seda.zip.method', { name }));
      continue;
    }
    declaredTotal += entry.uncompressedSize;
    if (entry.uncompressedSize > limits.ratioFloorBytes && entry.uncompressedSize / Math.max(1, entry.compressedSize) > limits.maxRatio) {
      issues.push(
        issue('archives.seda.zip.ratio', { name, ratio: Math.round(entry.uncompressedSize / Math.max(1, entry.compressedSize)), max: limits.maxRatio }),
      );
    }
    files.set(name, { entry, name });
  }
  if (declaredTotal > limits.maxTotalBytes) issues.push(issue('archives.seda.zip.too_large', { max: limits.maxTotalBytes }));
  return files;
}

function findManifest(files: Map<string, Listed>, issues: SedaIssue[]): Listed | undefined {
  const exact = files.get('manifest.xml');
  if (exact) return exact;
  // As@lae/Pastell and some Vitam tools name the manifest after the transfer (…_manifest.xml, bordereau.xml):
  // a single XML file at the root is the manifest.
  const candidates = [...files.values()].filter((f) => !f.name.includes('/') && f.name.toLowerCase().endsWith('.xml'));
  if (candidates.length === 1) return candidates[0];
  if (candidates.length === 0) issues.push(issue('archives.seda.manifest.missing'));
  else issues.push(issue('archives.seda.manifest.ambiguous', { names: candidates.map((c) => c.name).join(', ') }));
  return undefined;
}

/** Counts inflated bytes against the caps while they stream; refuses as soon as one is passed. */
class Counter extends Transform {
  bytes = 0;
  private readonly budget: { remaining: number };
  private readonly entry: Listed;
  private readonly limits: SipLimits;
  private readonly maxBytes: number;
  private readonly tooLarge: SedaIssue;
  private readonly hashes: Hash[];
  constructor(budget: { remaining: number }, entry: Listed, limits: SipLimits, maxBytes: number, tooLarge: SedaIssue, hashes: Hash[] = []) {
    super();
    this.budget = budget;
    this.entry = entry;
    this.limits = limits;
    this.maxBytes = maxBytes;
    this.tooLarge = tooLarge;
    this.hashes = hashes;
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null, data?: Buffer) => void) {
    this.bytes += chunk.length;
    this.budget.remaining -= chunk.length;
    if (this.budget.remaining < 0) return done(new Refusal(issue('archives.seda.zip.too_large', { max: this.limits.maxTotalBytes })));
    if (this.bytes > this.maxBytes) return done(new Refusal(this.tooLarge));
    const compressed = Math.max(1, this.entry.entry.compressedSize);
    if (this.bytes > this.limits.ratioFloorBytes && this.bytes / compressed > this.limits.maxRatio) {
      return done(
        new Refusal(issue('archives.seda.zip.ratio', { name: this.entry.name, ratio: Math.round(this.bytes / compressed), max: this.limits.maxRatio })),
      );
    }
    for (const h of this.hashes) h.update(chunk);
    done(null, chunk);
  }
}

function streamIssue(error: unknown, name: string): SedaIssue {
  if (error instanceof Refusal) return error.issue;
  const message = error instanceof Error ? error.message : String(error);
  // yauzl's validateEntrySizes: the inflated bytes are more or fewer than the directory declares.
  if (/too many bytes|not enough bytes|expected \d+ bytes/i.test(message)) return issue('archives.seda.zip.size_mismatch', { name });
  return issue('archives.seda.zip.unreadable', { reason: `${name}: ${message}` });
}

async function readManifest(zip: yauzl.ZipFile, manifest: Listed, limits: SipLimits, budget: { remaining: number }): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const counter = new Counter(budget, manifest, limits, limits.maxManifestBytes, issue('archives.seda.manifest.too_large', { max: limits.maxManifestBytes }));
  const stream: Readable = await zip.openReadStreamPromise(manifest.entry);
  await pipeline(stream, counter, async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) chunks.push(chunk);
  });
  return Buffer.concat(chunks);
}

/** Objects unpacked at the same time. */
const EXTRACT_CONCURRENCY = 8;

/** Manifests above this size are parsed in a worker thread (manifest-worker.ts says why). */
export const WORKER_MANIFEST_BYTES = 1024 * 1024;

type Parsed = { ok: true; value: ParsedManifest } | { ok: false; issues: SedaIssue[] };

async function parseManifest(bytes: Buffer, limits: SipLimits, issues: SedaIssue[]): Promise<Parsed> {
  if (bytes.length <= WORKER_MANIFEST_BYTES) return withValidSedaDocument(bytes, 'ArchiveTransfer', (doc) => readArchiveTransfer(doc, limits, issues));
  const worker = new Worker(new URL('./manifest-worker.ts', import.meta.url), {
    workerData: { bytes, limits: { maxUnits: limits.maxUnits, maxDepth: limits.maxDepth } },
  });
  try {
    const message = await new Promise<{ ok: true; value: ParsedManifest; issues: SedaIssue[] } | { ok: false; issues: SedaIssue[] }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`manifest worker exited (${code})`)));
    });
    if (!message.ok) return message;
    issues.push(...message.issues);
    // Structured cloning gives Uint8Arrays back: the attachments are Buffers again.
    const attachments = new Map([...message.value.attachments].map(([id, b]) => [id, Buffer.from(b.buffer, b.byteOffset, b.byteLength)]));
    return { ok: true, value: { transfer: message.value.transfer, attachments } };
  } finally {
    await worker.terminate();
  }
}

/** The zip entry an object's Uri names: as written, or percent-decoded (Uri is an xsd:anyURI). */
function resolveUri(uri: string, files: Map<string, Listed>): Listed | undefined {
  const plain = uri.replace(/^\.\//, '');
  const exact = files.get(plain);
  if (exact) return exact;
  try {
    return files.get(decodeURIComponent(plain));
  } catch {
    return undefined;
  }
}

function hashesFor(algorithm: string) {
  const sha512 = createHash('sha512');
  const sha256 = createHash('sha256');
  const node = DIGEST_ALGORITHMS[algorithm]!.node;
  const declared = node === 'sha512' ? sha512 : node === 'sha256' ? sha256 : createHash(node);
  return { sha512, sha256, declared, list: [...new Set([sha512, sha256, declared])] };
}

function checkObject(object: SedaBinaryObject, size: number, declaredDigest: string, issues: SedaIssue[]) {
  const uri = object.uri ?? '(Attachment)';
  if (object.size !== undefined && object.size !== size)
    issues.push(issue('archives.seda.object.size', { id: object.id, uri, actual: size, declared: object.size }));
  if (declaredDigest !== object.digest.value) issues.push(issue('archives.seda.object.digest', { id: object.id, uri, algorithm: object.digest.algorithm }));
}

/**
 * Reads, checks and unpacks a SIP. Throws SedaError with every issue when the package is refused;
 * nothing is left in `workDir` then.
 */
export async function readSip(zipPath: string, options: { workDir: string; limits?: Partial<SipLimits> }): Promise<ReadSipResult> {
  const limits = { ...DEFAULT_SIP_LIMITS, ...options.limits };
  const issues: SedaIssue[] = [];
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(zipPath);
  } catch (error) {
    throw new SedaError([issue('archives.seda.zip.unreadable', { reason: error instanceof Error ? error.message : String(error) })]);
  }
  let dir: string | undefined;
  try {
    const files = await listEntries(zip, limits, issues).catch((error: unknown) => {
      issues.push(issue('archives.seda.zip.unreadable', { reason: error instanceof Error ? error.message : String(error) }));
      return new Map<string, Listed>();
    });
    if (issues.length) throw new SedaError(issues);
    const manifestEntry = findManifest(files, issues);
    if (!manifestEntry) throw new SedaError(issues);

    const budget = { remaining: limits.maxTotalBytes };
    let manifestBytes: Buffer;
    try {
      manifestBytes = await readManifest(zip, manifestEntry, limits, budget);
    } catch (error) {
      throw new SedaError([streamIssue(error, manifestEntry.name)]);
    }
    const parsed = await parseManifest(manifestBytes, limits, issues);
    if (!parsed.ok) throw new SedaError(parsed.issues);
    const { transfer, attachments } = parsed.value;

    // Objects against entries, before inflating anything else.
    const byEntry = new Map<string, SedaBinaryObject>();
    const plan: { object: SedaBinaryObject; entry?: Listed }[] = [];
    for (const object of transfer.objects) {
      if (object.uri === undefined) {
        if (attachments.has(object.id)) plan.push({ object });
        continue;
      }
      if (unsafePath(object.uri.replace(/^\.\//, ''))) {
        issues.push(issue('archives.seda.object.unsafe_uri', { id: object.id, uri: object.uri }));
        continue;
      }
      const entry = resolveUri(object.uri, files);
      if (!entry) {
        issues.push(issue('archives.seda.object.missing', { id: object.id, uri: object.uri }));
        continue;
      }
      const other = byEntry.get(entry.name);
      if (other) issues.push(issue('archives.seda.object.duplicate_uri', { uri: object.uri, id: `${other.id}, ${object.id}` }));
      byEntry.set(entry.name, object);
      plan.push({ object, entry });
    }
    for (const name of files.keys()) {
      if (name !== manifestEntry.name && !byEntry.has(name)) issues.push(issue('archives.seda.object.extra', { name }));
    }
    if (issues.length) throw new SedaError(issues);

    dir = await mkdtemp(join(options.workDir, 'sip-'));
    await mkdir(join(dir, 'objects'));
    const manifestPath = join(dir, 'manifest.xml');
    await writeFile(manifestPath, manifestBytes);
    // A few objects at a time: each one costs several file-system round trips (local header, data, the
    // output file), which a loaded disk serialises badly one by one. Results and issues keep the plan's order.
    const extracted: (ExtractedObject | undefined)[] = plan.map(() => undefined);
    const found: SedaIssue[][] = plan.map(() => []);
    let next = 0;
    let stop = false;
    const extractOne = async (k: number) => {
      const { object, entry } = plan[k]!;
      const mine = found[k]!;
      const path = join(dir!, 'objects', String(k + 1));
      const hashes = hashesFor(object.digest.algorithm);
      if (!entry) {
        const bytes = attachments.get(object.id)!;
        for (const h of hashes.list) h.update(bytes);
        await writeFile(path, bytes);
        const digests = new Map<Hash, string>(hashes.list.map((h) => [h, h.digest('hex')]));
        checkObject(object, bytes.length, digests.get(hashes.declared)!, mine);
        extracted[k] = { object, path, size: bytes.length, sha512: digests.get(hashes.sha512)!, sha256: digests.get(hashes.sha256)! };
        return;
      }
      const counter = new Counter(
        budget,
        entry,
        limits,
        limits.maxObjectBytes,
        issue('archives.seda.object.too_large', { id: object.id, max: limits.maxObjectBytes }),
        hashes.list,
      );
      try {
        await pipeline(await zip.openReadStreamPromise(entry.entry), counter, createWriteStream(path, { flags: 'wx' }));
      } catch (error) {
        const i = streamIssue(error, entry.name);
        mine.push(i);
        // Past the total cap, every further object would fail the same way: stop here.
        if (i.key === 'archives.seda.zip.too_large') stop = true;
        return;
      }
      const digests = new Map<Hash, string>(hashes.list.map((h) => [h, h.digest('hex')]));
      checkObject(object, counter.bytes, digests.get(hashes.declared)!, mine);
      extracted[k] = { object, path, size: counter.bytes, sha512: digests.get(hashes.sha512)!, sha256: digests.get(hashes.sha256)! };
    };
    const worker = async () => {
      while (!stop && next < plan.length) await extractOne(next++);
    };
    await Promise.all(Array.from({ length: Math.min(EXTRACT_CONCURRENCY, plan.length) }, worker));
    for (const list of found) issues.push(...list);
    if (stop) {
      // Keep one "too large" reason, not one per object that was streaming when the cap was passed.
      const first = issues.findIndex((i) => i.key === 'archives.seda.zip.too_large');
      for (let i = issues.length - 1; i > first; i--) if (issues[i]!.key === 'archives.seda.zip.too_large') issues.splice(i, 1);
    }
    const objects = extracted.filter((e): e is ExtractedObject => e !== undefined);
    if (issues.length) throw new SedaError(issues);
    return { dir, manifestName: manifestEntry.name, manifestPath, transfer, objects };
  } catch (error) {
    if (dir) await rm(dir, { recursive: true, force: true });
    throw error;
  } finally {
    zip.close();
  }
}
