// The search criteria of the programmes list (page and API share them): unknown values are ignored, not errors.
import { AUDIENCES, isOneOf, NATURES, THEMES } from './vocabulary.ts';
import type { ProgrammeSearch } from './programmes.repository.ts';

export interface SearchQuery {
  q?: string;
  theme?: string;
  audience?: string;
  nature?: string;
  open?: string;
  page?: string;
}

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export function searchOf(query: SearchQuery, perPage: number): { search: ProgrammeSearch; page: number } {
  const page = /^\d{1,5}$/.test(query.page ?? '') && Number(query.page) > 0 ? Number(query.page) : 1;
  return {
    page,
    search: {
      q: (query.q ?? '').trim().slice(0, 200) || undefined,
      theme: isOneOf(THEMES, query.theme) ? query.theme : undefined,
      audience: isOneOf(AUDIENCES, query.audience) ? query.audience : undefined,
      nature: isOneOf(NATURES, query.nature) ? query.nature : undefined,
      openOn: query.open === '1' ? today() : undefined,
      limit: perPage,
      offset: (page - 1) * perPage,
    },
  };
}
