// Safe XML for SEDA messages: a prolog guard that refuses DTDs before any parser sees them, then
// libxml2 (WebAssembly, libxml2-wasm) with external loading off, and XSD validation against the
// official SEDA 2.3 schemas shipped in ./xsd/, resolved from memory only.
//
// Why a guard before libxml2: with no DTD there are no entities beyond the five predefined ones, so no
// external entity (XXE) can be read and no entity can expand ("billion laughs"); libxml2's own options
// (NO_XXE, no NOENT) are the second lock. A DOCTYPE can only appear in the prolog, so scanning the prolog is
// enough to refuse every DTD, internal or external.
//
// Why a catch-all input provider: libxml2 asks its input providers for every file it would load (the
// XSDs' includes and imports, an external DTD or entity). Ours answers every name, and opens only the
// shipped XSDs (the two W3C imports mapped as catalog.xml maps them), so nothing is read from the disk or the
// network, whatever a document says. The registration is process-wide: it also closes the door for any
// other use of libxml2-wasm in the process, on purpose.
import { readFileSync, readdirSync } from 'node:fs';
import { ParseOption, XmlDocument, XmlLibError, XsdValidator, xmlRegisterInputProvider } from 'libxml2-wasm';
import { issue, type SedaIssue } from './messages.ts';

export const SEDA_NS = 'fr:gouv:culture:archivesdefrance:seda:v2.3';
const XSD_DIR = new URL('./xsd/', import.meta.url);
const BASE = 'bastide-seda:///';
/** catalog.xml's mappings: the remote W3C schemas SEDA imports, served from the local copies. */
const CATALOG: Record<string, string> = {
  'http://www.w3.org/2001/xml.xsd': 'xml.xsd',
  'http://www.w3.org/1999/xlink.xsd': 'xlink.xsd',
};
/** At most this many validation errors are reported: the first ones say what is wrong. */
const MAX_REPORTED = 20;

export const PARSE_OPTIONS =
  ParseOption.XML_PARSE_NONET | ParseOption.XML_PARSE_NO_XXE | ParseOption.XML_PARSE_NO_SYS_CATALOG | ParseOption.XML_PARSE_BIG_LINES;

let validator: XsdValidator | undefined;
let xsdFiles: Map<string, Uint8Array> | undefined;

function registerProvider(files: Map<string, Uint8Array>) {
  const open = new Map<number, { bytes: Uint8Array; pos: number }>();
  let next = 1;
  xmlRegisterInputProvider({
    match: () => true,
    open: (name) => {
      const local = CATALOG[name] ? BASE + CATALOG[name] : name;
      const bytes = files.get(local);
      if (!bytes) return undefined;
      const fd = next++;
      open.set(fd, { bytes, pos: 0 });
      return fd;
    },
    read: (fd, buf) => {
      const file = open.get(fd);
      if (!file) return -1;
      const n = Math.min(buf.byteLength, file.bytes.length - file.pos);
      buf.set(file.bytes.subarray(file.pos, file.pos + n));
      file.pos += n;
      return n;
    },
    close: (fd) => open.delete(fd),
  });
}

/** The compiled SEDA 2.3 schema, once per process (about 100 ms). */
function sedaValidator(): XsdValidator {
  if (validator) return validator;
  xsdFiles = new Map();
  for (const name of readdirSync(XSD_DIR)) if (name.endsWith('.xsd')) xsdFiles.set(BASE + name, readFileSync(new URL(name, XSD_DIR)));
  registerProvider(xsdFiles);
  const main = BASE + 'seda-2.3-main.xsd';
  const doc = XmlDocument.fromBuffer(xsdFiles.get(main)!, { url: main, option: PARSE_OPTIONS });
  try {
    validator = XsdValidator.fromDoc(doc);
  } finally {
    doc.dispose();
  }
  return validator;
}

/**
 * Refuses what must never reach a parser: a DTD (internal or external), and encodings other than UTF-8.
 * Returns the issue, or undefined when the prolog is clean.
 */
export function guardProlog(bytes: Uint8Array): SedaIssue | undefined {
  if ((bytes[0] === 0xfe && bytes[1] === 0xff) || (bytes[0] === 0xff && bytes[1] === 0xfe) || bytes[1] === 0) {
    return issue('archives.seda.xml.encoding', { encoding: 'UTF-16' });
  }
  // The prolog is ASCII in every well-formed UTF-8 document; reading it as latin1 is exact for our purpose.
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1 << 20)).toString('latin1');
  let i = head.startsWith('\xef\xbb\xbf') ? 3 : 0;
  if (head.startsWith('<?xml', i)) {
    const end = head.indexOf('?>', i);
    if (end < 0) return undefined; // malformed: libxml2 will say where
    const encoding = /encoding\s*=\s*["']([^"']*)["']/.exec(head.slice(i, end))?.[1];
    if (encoding && !/^utf-?8$/i.test(encoding)) return issue('archives.seda.xml.encoding', { encoding });
    i = end + 2;
  }
  for (;;) {
    while (i < head.length && ' \t\r\n'.includes(head[i]!)) i++;
    if (head.startsWith('<!--', i)) {
      const end = head.indexOf('-->', i + 4);
      if (end < 0) return undefined;
      i = end + 3;
    } else if (head.startsWith('<?', i)) {
      const end = head.indexOf('?>', i + 2);
      if (end < 0) return undefined;
      i = end + 2;
    } else if (head.slice(i, i + 9).toUpperCase() === '<!DOCTYPE') {
      return issue('archives.seda.xml.dtd');
    } else {
      return undefined;
    }
  }
}

function detailsOf(error: unknown): { line: number; message: string }[] {
  if (error instanceof XmlLibError && error.details.length) {
    return error.details.map((d) => ({ line: d.line, message: d.message.trim() }));
  }
  return [{ line: 0, message: error instanceof Error ? error.message.trim() : String(error) }];
}

/**
 * Parses a SEDA message and validates it against the official SEDA 2.3 XSDs. On success, runs `use` on the
 * document (disposed afterwards, even when `use` throws) and returns its result; otherwise returns the
 * issues (DTD, encoding, well-formedness or validity, with line numbers).
 */
export function withValidSedaDocument<T>(
  bytes: Uint8Array,
  expectedRoot: string,
  use: (doc: XmlDocument) => T,
): { ok: true; value: T } | { ok: false; issues: SedaIssue[] } {
  const guard = guardProlog(bytes);
  if (guard) return { ok: false, issues: [guard] };
  const xsd = sedaValidator();
  let doc: XmlDocument;
  try {
    doc = XmlDocument.fromBuffer(bytes, { option: PARSE_OPTIONS, url: 'manifest.xml' });
  } catch (error) {
    return {
      ok: false,
      issues: detailsOf(error)
        .slice(0, MAX_REPORTED)
        .map((d) => issue('archives.seda.xml.malformed', d)),
    };
  }
  try {
    const root = doc.root;
    if (root.namespaceUri !== SEDA_NS || root.name !== expectedRoot) {
      const found = root.namespaceUri ? `{${root.namespaceUri}}${root.name}` : root.name;
      return { ok: false, issues: [issue('archives.seda.xml.root', { expected: expectedRoot, found })] };
    }
    try {
      xsd.validate(doc);
    } catch (error) {
      return {
        ok: false,
        issues: detailsOf(error)
          .slice(0, MAX_REPORTED)
          .map((d) => issue('archives.seda.xml.invalid', d)),
      };
    }
    return { ok: true, value: use(doc) };
  } finally {
    doc.dispose();
  }
}

/** Validates a SEDA 2.3 message (ArchiveTransfer by default): the issues, empty when valid. */
export function validateSedaXml(bytes: Uint8Array, expectedRoot = 'ArchiveTransfer'): SedaIssue[] {
  const result = withValidSedaDocument(bytes, expectedRoot, () => true);
  return result.ok ? [] : result.issues;
}
