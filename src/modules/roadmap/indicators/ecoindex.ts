// The EcoIndex of a collectivité's own Bastide pages, computed by Bastide on the server: each public page
// is requested in-process (Fastify's inject: no network, no browser), then the resources it links (style
// sheets, scripts, images, icons) the same way; the bytes (bodies as served, before any compression a
// reverse proxy adds: an upper bound of what travels), the requests (the page and each resource) and the
// DOM elements (start tags, counted by the small tokenizer below) go through the same formula and scale
// as the browser tour (src/core/views/ecoindex.ts). The indicator is the mean score of the pages.
//
// Why a tokenizer rather than a DOM: no HTML parser is installed, and these pages are Bastide's own
// html`` output (every element written with its start tag; html, head and body explicit), so counting
// start tags outside comments and raw-text elements gives the number of elements a browser builds.
import type { FastifyInstance } from 'fastify';
import { ecoIndexGrade, ecoIndexScore } from '../../../core/views/ecoindex.ts';

export interface PageMeasure {
  path: string;
  status: number;
  bytes: number;
  requests: number;
  dom: number;
  score: number;
  grade: string;
}

const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title']);

/** Number of elements in an HTML document (start tags outside comments, doctype and raw-text content). */
export function countElements(source: string): number {
  let count = 0;
  let i = 0;
  const lower = source.toLowerCase();
  while (i < source.length) {
    const lt = source.indexOf('<', i);
    if (lt < 0) break;
    if (source.startsWith('<!--', lt)) {
      const end = source.indexOf('-->', lt + 4);
      i = end < 0 ? source.length : end + 3;
      continue;
    }
    const m = /^<([a-zA-Z][a-zA-Z0-9-]*)/.exec(source.slice(lt, lt + 40));
    if (!m) {
      i = lt + 1;
      continue;
    }
    count += 1;
    // Skip the tag itself, minding quoted attribute values that may hold '>'.
    let j = lt + m[0].length;
    let quote: string | null = null;
    for (; j < source.length; j++) {
      const c = source[j]!;
      if (quote) {
        if (c === quote) quote = null;
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '>') break;
    }
    const name = m[1]!.toLowerCase();
    i = j + 1;
    if (RAW_TEXT.has(name)) {
      const close = lower.indexOf(`</${name}`, i);
      i = close < 0 ? source.length : close;
    }
  }
  return count;
}

/** Same-origin resources a page makes the browser fetch: style sheets, icons, scripts, images. */
export function linkedResources(source: string): string[] {
  const out = new Set<string>();
  const tag = /<(link|script|img|source)\b[^>]*>/gi;
  for (const m of source.matchAll(tag)) {
    const t = m[0];
    const name = m[1]!.toLowerCase();
    if (name === 'link' && !/\brel="(?:stylesheet|icon|preload|modulepreload)"/i.test(t)) continue;
    const url = /\b(?:href|src)="([^"]+)"/i.exec(t)?.[1];
    if (url && url.startsWith('/') && !url.startsWith('//')) out.add(url.replace(/&amp;/g, '&'));
  }
  return [...out];
}

/** Requests `path` and what it links, anonymously, inside the process. */
export async function measurePage(app: FastifyInstance, path: string): Promise<PageMeasure> {
  const res = await app.inject({ method: 'GET', url: path, headers: { 'accept-language': 'fr' } });
  const body = res.body;
  let bytes = Buffer.byteLength(body);
  const resources = res.statusCode === 200 ? linkedResources(body) : [];
  for (const url of resources) {
    const r = await app.inject({ method: 'GET', url });
    bytes += r.rawPayload.length;
  }
  const requests = 1 + resources.length;
  const dom = countElements(body);
  const score = ecoIndexScore(dom, requests, bytes / 1024);
  return { path, status: res.statusCode, bytes, requests, dom, score, grade: ecoIndexGrade(score) };
}

/** The public pages of a collectivité that the indicator follows. */
export function publicPages(slug: string): string[] {
  return [`/${slug}/`, `/${slug}/demarches`, `/${slug}/donnees`, `/${slug}/feuille-de-route`];
}

/** Mean EcoIndex of the pages that answer 200 (null when none does). */
export async function measureEcoIndex(app: FastifyInstance, slug: string): Promise<{ score: number | null; pages: PageMeasure[] }> {
  const pages: PageMeasure[] = [];
  for (const path of publicPages(slug)) pages.push(await measurePage(app, path));
  const ok = pages.filter((p) => p.status === 200);
  if (ok.length === 0) return { score: null, pages };
  return { score: Math.round(ok.reduce((n, p) => n + p.score, 0) / ok.length), pages };
}
