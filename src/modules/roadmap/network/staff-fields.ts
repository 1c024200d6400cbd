// The secretariat's form fields, read and checked before anything is written: every field a string from an
// urlencoded body, trimmed, bounded (the database's own limits), plain text only (markup is refused: names,
// titles and texts are shown on public pages and read by other collectivités), dates real and in order. A
// field in error gets its message, localised, beside it; the form comes back with what was typed.
import type { Translate } from '../../../core/i18n/i18n.ts';
import type { EventInput, SeatInput, SessionInput } from './staff-actions.ts';

export type Errors = Record<string, string[]>;
export type Values = Record<string, string>;

/** Form fields as strings (repeated fields: the first); anything else dropped. */
export function formFields(value: unknown): Values {
  const out: Values = {};
  if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      if (typeof v === 'string') out[k] = v;
      else if (Array.isArray(v) && typeof v[0] === 'string') out[k] = v[0];
    }
  return out;
}

const MARKUP = /<\s*[a-z!/?]|&[a-z#0-9]+;/i;
export const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
/** Addresses of the forms themselves (…/instances/nouvelle): never an identifier. */
const RESERVED = new Set(['nouvelle', 'nouveau', 'gestion']);
export const BODY_KINDS = ['board', 'commission', 'working_group'] as const;
export const EVENT_KINDS = ['forum', 'webinar', 'workshop'] as const;
export const VISIBILITIES = ['members', 'public'] as const;
/** Rows of the programme the event form shows: its sessions and this many blank ones. */
export const BLANK_SESSIONS = 3;
export const MAX_SESSIONS = 100;

export function isDay(v: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v);
}

function isLocalTime(v: string): boolean {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})$/.exec(v);
  return !!m && isDay(m[1]!) && Number(m[2]) < 24 && Number(m[3]) < 60;
}

export class Checker {
  readonly errors: Errors = {};
  private readonly t: Translate;
  readonly values: Values;
  constructor(t: Translate, values: Values) {
    this.t = t;
    this.values = values;
  }

  fail(name: string, key: string, params?: Record<string, string | number>): void {
    (this.errors[name] ??= []).push(this.t(key, params));
  }

  get ok(): boolean {
    return Object.keys(this.errors).length === 0;
  }

  /** A plain text, trimmed. */
  text(name: string, o: { max: number; required?: boolean }): string {
    const v = (this.values[name] ?? '').trim();
    this.values[name] = v;
    if (!v) {
      if (o.required) this.fail(name, 'roadmap.network.staff.required');
    } else if (v.length > o.max) this.fail(name, 'roadmap.network.forms.too_long', { max: o.max });
    else if (MARKUP.test(v)) this.fail(name, 'roadmap.network.staff.markup');
    return v;
  }

  slug(name = 'slug'): string {
    const v = (this.values[name] ?? '').trim();
    this.values[name] = v;
    if (!v) this.fail(name, 'roadmap.network.staff.required');
    else if (v.length > 80 || !SLUG.test(v)) this.fail(name, 'roadmap.network.staff.bad_slug');
    else if (RESERVED.has(v)) this.fail(name, 'roadmap.network.staff.slug_reserved');
    return v;
  }

  choice<T extends string>(name: string, allowed: readonly T[]): T {
    const v = (this.values[name] ?? '').trim();
    if (!(allowed as readonly string[]).includes(v)) this.fail(name, 'roadmap.network.staff.bad_choice');
    return v as T;
  }

  day(name: string, required = false): string | undefined {
    const v = (this.values[name] ?? '').trim();
    this.values[name] = v;
    if (!v) {
      if (required) this.fail(name, 'roadmap.network.staff.required');
      return undefined;
    }
    if (!isDay(v)) this.fail(name, 'roadmap.network.staff.bad_date');
    return v;
  }

  /** "to" not before "from", both given and valid. */
  order(from: string | undefined, to: string | undefined, toName: string): void {
    if (from && to && isDay(from) && isDay(to) && to < from) this.fail(toName, 'roadmap.network.error.dates_order');
  }

  link(name: string): string {
    const v = this.text(name, { max: 500 });
    if (v && !/^https:\/\/[^\s<>"]+$/.test(v)) this.fail(name, 'roadmap.network.staff.bad_link');
    return v;
  }

  /** One item a line, blank lines dropped. */
  lines(name: string, o: { maxItems: number; max: number; required?: boolean }): string[] {
    const raw = (this.values[name] ?? '').replace(/\r\n?/g, '\n');
    const items = raw
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    this.values[name] = items.join('\n');
    if (!items.length && o.required) this.fail(name, 'roadmap.network.staff.required');
    else if (items.length > o.maxItems) this.fail(name, 'roadmap.network.staff.too_many', { max: o.maxItems });
    else if (items.some((i) => i.length > o.max)) this.fail(name, 'roadmap.network.staff.line_too_long', { max: o.max });
    else if (items.some((i) => MARKUP.test(i))) this.fail(name, 'roadmap.network.staff.markup');
    return items;
  }
}

export function checkBody(t: Translate, values: Values, creating: boolean) {
  const c = new Checker(t, values);
  const slug = creating ? c.slug() : '';
  const kind = c.choice('kind', BODY_KINDS);
  const name = c.text('name', { max: 200, required: true });
  const description = c.text('description', { max: 5000 });
  return { c, input: { slug, kind, name, description } };
}

/** `members`: the member collectivités' slugs (a seat is held for one of them). */
export function checkSeat(t: Translate, values: Values, members: string[]): { c: Checker; input: SeatInput } {
  const c = new Checker(t, values);
  const member = (values.member ?? '').trim();
  if (!members.includes(member)) c.fail('member', 'roadmap.network.error.not_member');
  const seat_role = c.text('seat_role', { max: 120, required: true });
  const holder_name = c.text('holder_name', { max: 200 });
  const holder_title = c.text('holder_title', { max: 300 });
  const since = c.day('since');
  const until = c.day('until');
  c.order(since, until, 'until');
  return { c, input: { member, seat_role, holder_name, holder_title, ...(since ? { since } : {}), ...(until ? { until } : {}) } };
}

export function checkMeeting(t: Translate, values: Values) {
  const c = new Checker(t, values);
  const held_on = c.day('held_on', true) ?? '';
  const title = c.text('title', { max: 300, required: true });
  const place = c.text('place', { max: 300 });
  const agenda = c.lines('agenda', { maxItems: 50, max: 500 });
  return { c, input: { held_on, title, place, agenda } };
}

export function checkContribution(t: Translate, values: Values, creating: boolean) {
  const c = new Checker(t, values);
  const slug = creating ? c.slug() : '';
  const title = c.text('title', { max: 300, required: true });
  const summary = c.text('summary', { max: 10000 });
  const body = c.text('body', { max: 100000 });
  const topics = c.lines('topics', { maxItems: 30, max: 200 });
  const visibility = c.choice('visibility', VISIBILITIES);
  return { c, input: { slug, title, summary, body, topics, visibility } };
}

export function checkAdoption(t: Translate, values: Values, bodies: string[]) {
  const c = new Checker(t, values);
  const body = (values.body ?? '').trim();
  if (!bodies.includes(body)) c.fail('body', 'roadmap.network.error.unknown_body');
  const adopted_on = c.day('adopted_on', true) ?? '';
  const visibility = c.choice('visibility', VISIBILITIES);
  return { c, input: { body, adopted_on, visibility } };
}

export const sessionField = (i: number, f: keyof SessionInput) => `session_${i}_${f}`;

/** The programme rows posted (session_0_… up to MAX_SESSIONS + BLANK_SESSIONS); a row with neither title nor times is skipped. */
export function sessionRows(values: Values): number {
  let n = 0;
  for (let i = 0; i < MAX_SESSIONS + BLANK_SESSIONS; i++) if (sessionField(i, 'title') in values || sessionField(i, 'starts_at') in values) n = i + 1;
  return n;
}

export function checkEvent(t: Translate, values: Values, creating: boolean): { c: Checker; input: EventInput & { slug: string } } {
  const c = new Checker(t, values);
  const slug = creating ? c.slug() : '';
  const kind = c.choice('kind', EVENT_KINDS);
  const title = c.text('title', { max: 300, required: true });
  const description = c.text('description', { max: 10000 });
  const starts_on = c.day('starts_on', true) ?? '';
  const ends_on = c.day('ends_on', true) ?? '';
  c.order(starts_on, ends_on, 'ends_on');
  const place = c.text('place', { max: 300 });
  const online = c.choice('online', ['yes', 'no'] as const) === 'yes';
  const sessions: SessionInput[] = [];
  for (let i = 0; i < sessionRows(values); i++) {
    const [s, e, ti, sp] = (['starts_at', 'ends_at', 'title', 'speakers'] as const).map((f) => sessionField(i, f));
    const blank = [s, e, ti, sp].every((f) => !(values[f!] ?? '').trim());
    if (blank) continue;
    const row = {
      starts_at: (values[s!] ?? '').trim(),
      ends_at: (values[e!] ?? '').trim(),
      title: c.text(ti!, { max: 300, required: true }),
      speakers: c.text(sp!, { max: 1000 }),
    };
    values[s!] = row.starts_at;
    values[e!] = row.ends_at;
    let times = true;
    for (const [f, v] of [
      [s!, row.starts_at],
      [e!, row.ends_at],
    ] as const) {
      if (!isLocalTime(v)) {
        c.fail(f, v ? 'roadmap.network.staff.bad_time' : 'roadmap.network.staff.required');
        times = false;
      }
    }
    if (times && row.ends_at <= row.starts_at) c.fail(e!, 'roadmap.network.error.dates_order');
    else if (times && isDay(starts_on) && isDay(ends_on) && (row.starts_at.slice(0, 10) < starts_on || row.starts_at.slice(0, 10) > ends_on))
      c.fail(s!, 'roadmap.network.staff.session_outside');
    sessions.push(row);
  }
  if (sessions.length > MAX_SESSIONS) c.fail('title', 'roadmap.network.staff.too_many', { max: MAX_SESSIONS });
  return { c, input: { slug, kind, title, description, starts_on, ends_on, place, online, sessions } };
}

export function checkProgramme(t: Translate, values: Values, creating: boolean) {
  const c = new Checker(t, values);
  const slug = creating ? c.slug() : '';
  const name = c.text('name', { max: 200, required: true });
  const description = c.text('description', { max: 10000 });
  const link = c.link('link');
  return { c, input: { slug, name, description, link } };
}
