// Parses and validates a large manifest in a worker thread. libxml2's WebAssembly memory grows with the
// document (about 25 times its size) and is never given back to the system while the instance lives: in a
// worker, it goes when the worker exits, so one big import does not leave the server holding it.
import { parentPort, workerData } from 'node:worker_threads';
import { readArchiveTransfer, type ManifestLimits } from './manifest-reader.ts';
import type { SedaIssue } from './messages.ts';
import { withValidSedaDocument } from './xml.ts';

const { bytes, limits } = workerData as { bytes: Uint8Array; limits: ManifestLimits };
const issues: SedaIssue[] = [];
const result = withValidSedaDocument(bytes, 'ArchiveTransfer', (doc) => readArchiveTransfer(doc, limits, issues));
parentPort!.postMessage(result.ok ? { ok: true, value: result.value, issues } : result);
