// A small RDF model and its two serialisations, Turtle and JSON-LD, written by hand: the feeds are a few
// fixed shapes of nodes, and writing them ourselves keeps the output streamable (one node at a time) and
// the runtime free of an RDF library. JSON-LD uses the context below, inlined: the official DCAT-AP 3
// context (dcat-ap.jsonld) is itself broken (issue 12), so a harvester must not be sent to fetch it.

export type Term = { iri: string } | { value: string; datatype?: string; lang?: string };

export interface RdfNode {
  id: string;
  types: string[];
  props: Array<[predicate: string, object: Term]>;
}

export const PREFIXES: Record<string, string> = {
  adms: 'http://www.w3.org/ns/adms#',
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  hydra: 'http://www.w3.org/ns/hydra/core#',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  spdx: 'http://spdx.org/rdf/terms#',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
};

/** Expands `dct:title` to its IRI; a full IRI is given back as it is. */
export function expand(name: string): string {
  const i = name.indexOf(':');
  const ns = i > 0 ? PREFIXES[name.slice(0, i)] : undefined;
  return ns ? ns + name.slice(i + 1) : name;
}

export const iri = (value: string): Term => ({ iri: value });
export const text = (value: string, lang = 'fr'): Term => ({ value, lang });
export const typed = (value: string, datatype: string): Term => ({ value, datatype });
export const plain = (value: string): Term => ({ value });

// ---- Turtle -------------------------------------------------------------------------------------------

/** The Turtle prologue: one @prefix line per prefix the nodes use. */
export function turtlePrologue(): string {
  return (
    Object.entries(PREFIXES)
      .map(([p, ns]) => `@prefix ${p}: <${ns}> .\n`)
      .join('') + '\n'
  );
}

// IRIREF may not hold these (Turtle §6.4: no controls, space, <>"{}|^`\); they are %-encoded, which keeps the
// IRI's meaning for any URL that could reach us (they are not legal in a URL either).
// eslint-disable-next-line no-control-regex -- controls are exactly what must be escaped
const IRI_UNSAFE = /[\u0000-\u0020<>"{}|^`\\]/;

function turtleIri(value: string): string {
  // Nearly every IRI is plain: one test instead of a walk over its characters (the feed writes thousands).
  if (!IRI_UNSAFE.test(value)) return `<${value}>`;
  let out = '';
  for (const c of value) out += c.charCodeAt(0) <= 0x20 || '<>"{}|^`\\'.includes(c) ? encodeURIComponent(c) : c;
  return `<${out}>`;
}

// STRING_LITERAL_QUOTE: backslash, quote and line breaks escaped; other controls as \uXXXX.
// eslint-disable-next-line no-control-regex -- controls are exactly what must be escaped
const STRING_UNSAFE = /[\u0000-\u001f\u007f\\"]/;

export function turtleString(value: string): string {
  if (!STRING_UNSAFE.test(value)) return `"${value}"`;
  const named: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
  let out = '';
  for (const c of value) {
    const code = c.charCodeAt(0);
    out += named[c] ?? (code < 0x20 || code === 0x7f ? `\\u${code.toString(16).padStart(4, '0')}` : c);
  }
  return `"${out}"`;
}

const PREFIX_OF = new Map(Object.entries(PREFIXES).map(([p, ns]) => [ns, p]));
const LOCAL_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

// Prefixed names only when the local part is plainly safe; anything else is written as a full IRI. Every
// namespace ends with '/' or '#' and a safe local part holds neither, so the namespace is the IRI up to its
// last '/' or '#': one lookup instead of a test per prefix (this runs for every term of the feed).
const names = new Map<string, string>();
/** Vocabularies whose IRIs every dataset repeats (themes, frequencies, file types, places…). */
const VOCABULARY = /^https?:\/\/(publications\.europa\.eu|purl\.org|www\.iana\.org|id\.insee\.fr|spdx\.org|www\.w3\.org)\//;

function turtleName(name: string): string {
  // Predicates, classes and vocabulary IRIs repeat in every dataset: remembered, a bounded number of them
  // (never the installation's own IRIs, which are per dataset).
  const known = names.get(name);
  if (known !== undefined) return known;
  const out = turtleNameOf(name);
  if (names.size < 2000 && (!name.includes('://') || VOCABULARY.test(name))) names.set(name, out);
  return out;
}

function turtleNameOf(name: string): string {
  const full = expand(name);
  const cut = Math.max(full.lastIndexOf('/'), full.lastIndexOf('#')) + 1;
  const p = cut > 0 ? PREFIX_OF.get(full.slice(0, cut)) : undefined;
  if (p !== undefined && LOCAL_NAME.test(full.slice(cut))) return `${p}:${full.slice(cut)}`;
  return turtleIri(full);
}

function turtleTerm(t: Term): string {
  if ('iri' in t) return turtleName(t.iri);
  const s = turtleString(t.value);
  if (t.lang) return `${s}@${t.lang}`;
  if (t.datatype) return `${s}^^${turtleName(t.datatype)}`;
  return s;
}

export function turtleNode(node: RdfNode): string {
  if (node.types.length === 0 && node.props.length === 0) return '';
  let out = turtleName(node.id);
  let sep = '\n  ';
  if (node.types.length > 0) {
    out += `${sep}a ${node.types.map(turtleName).join(', ')}`;
    sep = ' ;\n  ';
  }
  for (const [p, o] of node.props) {
    out += `${sep}${turtleName(p)} ${turtleTerm(o)}`;
    sep = ' ;\n  ';
  }
  return `${out} .\n\n`;
}

// ---- JSON-LD ------------------------------------------------------------------------------------------

/** The inlined context: prefixes only, every value written in its expanded form ({"@id"}, {"@value"}). */
export const JSONLD_CONTEXT: Record<string, string> = { ...PREFIXES };

function jsonTerm(t: Term): Record<string, string> {
  if ('iri' in t) return { '@id': expand(t.iri) };
  if (t.lang) return { '@value': t.value, '@language': t.lang };
  if (t.datatype) return { '@value': t.value, '@type': expand(t.datatype) };
  return { '@value': t.value };
}

/** One node object of the @graph (a subject may appear in several: JSON-LD merges them). */
export function jsonLdNode(node: RdfNode): Record<string, unknown> {
  const out: Record<string, unknown> = { '@id': expand(node.id) };
  if (node.types.length > 0) out['@type'] = node.types.map(expand);
  for (const [p, o] of node.props) {
    const key = turtleName(p).startsWith('<') ? expand(p) : turtleName(p);
    ((out[key] ??= []) as unknown[]).push(jsonTerm(o));
  }
  return out;
}
