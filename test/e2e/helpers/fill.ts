// Fills a procedure form as a person would, whatever its fields: each visible control gets a plausible,
// valid answer chosen from what the page tells (type, inputmode, autocomplete, label and hints), so the
// tour works on the demo procedures and on the one the designer creates.
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

export interface Control {
  id: string;
  tag: string;
  type: string;
  name: string;
  inputmode: string;
  autocomplete: string;
  /** Label text plus hints (aria-describedby), lower case. */
  text: string;
  /** The hints alone (bounds such as "entre 100 et 50000" are read from them). */
  hint: string;
  /** A file control's accepted types. */
  accept: string;
  options: string[];
  /** Current value (text controls) or whether it is checked (boxes): filled controls are kept. */
  value: string;
  checked: boolean;
}

/** A small but real PDF (file types are checked on content). */
export function fixturePdf(): string {
  const dir = join(tmpdir(), 'bastide-e2e-files');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'justificatif-de-domicile.pdf');
  writeFileSync(
    path,
    '%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n',
  );
  return path;
}

/** A 1×1 PNG, for file fields that take images only. */
export function fixturePng(): string {
  const dir = join(tmpdir(), 'bastide-e2e-files');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'photo.png');
  writeFileSync(path, Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64'));
  return path;
}

/** The fixture a file control accepts. */
export function fixtureFor(c: Pick<Control, 'accept'>): string {
  return c.accept && !c.accept.includes('pdf') && c.accept.includes('image/png') ? fixturePng() : fixturePdf();
}

/** A SIRET that passes the Luhn check. */
export function validSiret(prefix = '2144010930001'): string {
  for (let d = 0; d <= 9; d++) {
    const candidate = prefix + d;
    let sum = 0;
    for (let i = 0; i < 14; i++) {
      let n = Number(candidate[13 - i]);
      if (i % 2 === 1) n = n * 2 > 9 ? n * 2 - 9 : n * 2;
      sum += n;
    }
    if (sum % 10 === 0) return candidate;
  }
  throw new Error('unreachable');
}

export const TEXTS = {
  name: 'Camille Martin',
  email: 'camille.martin@example.org',
  phone: '02 40 41 90 00',
  paragraph: 'Demande déposée pendant la visite de contrôle des pages.',
  address: '2 rue de l’Hôtel de Ville\n44000 Nantes',
  iban: 'FR7630006000011234567890189',
};

/** What to type in a text-like control, or null for controls chosen rather than typed. */
export function textFor(c: Control): string | null {
  const t = c.text;
  if (c.tag === 'textarea') return c.autocomplete === 'street-address' || /adresse|address/.test(t) ? TEXTS.address : TEXTS.paragraph;
  if (c.tag !== 'input') return null;
  switch (c.type) {
    case 'email':
      return TEXTS.email;
    case 'tel':
      return TEXTS.phone;
    case 'date':
      return '2026-11-20';
    case 'datetime-local':
      return '2026-11-20T10:30';
    case 'number':
      return '3';
    case 'checkbox':
    case 'radio':
    case 'file':
    case 'hidden':
    case 'submit':
    case 'button':
      return null;
  }
  if (/siret/.test(t)) return validSiret();
  if (/\brna\b/.test(t)) return 'W441000123';
  if (/iban/.test(t)) return TEXTS.iban;
  if (c.autocomplete === 'address-level2' || /commune/.test(t)) return '44109';
  if (/epci|intercommunal/.test(t)) return '244400404';
  if (/département|departement/.test(t)) return '44';
  // A bound stated in the hint ("entre 100 et 50000", "au moins 1") is a valid answer.
  const bound = /\d+(?:[.,]\d+)?/.exec(c.hint.replace(/(\d)\s(?=\d{3}\b)/g, '$1'))?.[0];
  if (c.inputmode === 'numeric') return bound && !bound.includes(',') && !bound.includes('.') ? bound : '3';
  if (c.inputmode === 'decimal') return bound ?? '12,5';
  if (/mail/.test(t)) return TEXTS.email;
  if (/téléphone|phone/.test(t)) return TEXTS.phone;
  return TEXTS.name;
}

/** The visible, answerable controls of a form, in document order. */
export async function visibleControls(page: Page, formSelector: string): Promise<Control[]> {
  return page.locator(formSelector).evaluate((form) => {
    const out: Array<Record<string, unknown>> = [];
    for (const el of Array.from(form.querySelectorAll('input, select, textarea')) as HTMLInputElement[]) {
      if (el.type === 'hidden' || el.type === 'submit' || el.type === 'button' || el.disabled || !el.id) continue;
      if (!(el.offsetWidth || el.offsetHeight || el.getClientRects().length)) continue;
      const described = (el.getAttribute('aria-describedby') ?? '')
        .split(/\s+/)
        .filter(Boolean)
        .map((id) => document.getElementById(id)?.textContent ?? '')
        .join(' ');
      const group = el.closest('fieldset')?.querySelector('legend')?.textContent ?? '';
      const labels = Array.from(el.labels ?? [])
        .map((l) => l.textContent ?? '')
        .join(' ');
      out.push({
        id: el.id,
        tag: el.tagName.toLowerCase(),
        type: (el.getAttribute('type') ?? '').toLowerCase(),
        name: el.name,
        inputmode: el.getAttribute('inputmode') ?? '',
        autocomplete: el.getAttribute('autocomplete') ?? '',
        text: `${labels} ${group} ${described}`.toLowerCase(),
        hint: described.toLowerCase(),
        accept: el.getAttribute('accept') ?? '',
        options: el.tagName === 'SELECT' ? Array.from((el as unknown as HTMLSelectElement).options).map((o) => o.value) : [],
        value: el.type === 'file' ? '' : el.value,
        checked: Boolean(el.checked),
      });
    }
    return out;
  }) as unknown as Promise<Control[]>;
}

/**
 * Answers every visible control once (several passes: answers may reveal conditional fields).
 * The first radio of each group and the first box of each checkbox group are chosen; files get the fixture PDF.
 */
export async function fillForm(page: Page, formSelector: string, overrides: Record<string, string> = {}): Promise<string[]> {
  const done = new Set<string>();
  const groups = new Set<string>();
  const filled: string[] = [];
  for (let pass = 0; pass < 4; pass++) {
    const controls = (await visibleControls(page, formSelector)).filter((c) => !done.has(c.id));
    if (!controls.length) break;
    for (const c of controls) {
      done.add(c.id);
      const control = page.locator(`[id="${c.id}"]`);
      if (c.type === 'radio' || c.type === 'checkbox') {
        if (groups.has(c.name)) continue;
        groups.add(c.name);
        const alreadyChosen = await page.locator(formSelector).locator(`input[name="${c.name}"]:checked`).count();
        if (!alreadyChosen) await control.check();
      } else if (c.type === 'file') {
        await control.setInputFiles(fixtureFor(c));
      } else if (c.tag === 'select') {
        if (c.value) continue;
        const option = c.options.find((o) => o !== '');
        if (option) await control.selectOption(option);
      } else {
        const value = overrides[c.name] ?? (c.value ? null : textFor(c));
        if (value === null) continue;
        await control.fill(value);
      }
      filled.push(c.name);
    }
  }
  return filled;
}

interface FocusedControl extends Control {
  inForm: boolean;
  isSubmit: boolean;
}

async function focusedControl(page: Page, formSelector: string, submitSelector: string): Promise<FocusedControl> {
  const form = page.locator(formSelector);
  return form.evaluate((formEl, submitSel) => {
    const el = document.activeElement as HTMLInputElement | null;
    const empty = {
      id: '',
      tag: '',
      type: '',
      name: '',
      inputmode: '',
      autocomplete: '',
      text: '',
      hint: '',
      accept: '',
      options: [] as string[],
      value: '',
      checked: false,
      inForm: false,
      isSubmit: false,
    };
    if (!el || el === document.body) return empty;
    const described = (el.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' ');
    const labels = Array.from(el.labels ?? [])
      .map((l) => l.textContent ?? '')
      .join(' ');
    const group = el.closest('fieldset')?.querySelector('legend')?.textContent ?? '';
    return {
      id: el.id,
      tag: el.tagName.toLowerCase(),
      type: (el.getAttribute('type') ?? '').toLowerCase(),
      name: el.getAttribute('name') ?? '',
      inputmode: el.getAttribute('inputmode') ?? '',
      autocomplete: el.getAttribute('autocomplete') ?? '',
      text: `${labels} ${group} ${described}`.toLowerCase(),
      hint: described.toLowerCase(),
      accept: el.getAttribute('accept') ?? '',
      options: el.tagName === 'SELECT' ? Array.from((el as unknown as HTMLSelectElement).options).map((o) => o.value) : [],
      value: el.type === 'file' ? '' : (el.value ?? ''),
      checked: Boolean(el.checked),
      inForm: formEl.contains(el) && ['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName),
      isSubmit: el.matches(submitSel),
    };
  }, submitSelector);
}

/** Digits as typed in Chrome's segmented date controls for a French locale (dd mm yyyy [hh mm]). */
function typedDate(value: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?$/.exec(value)!;
  return `${m[3]}${m[2]}${m[1]}${m[4] ? `${m[4]}${m[5]}` : ''}`;
}

/**
 * The same answers with the keyboard only: Tab from control to control, type, Space to tick, arrows in
 * drop-downs, Space on a file control to open the chooser. Stops with the focus on the submit button.
 */
export async function keyboardFill(page: Page, formSelector: string, submitSelector: string, max = 250): Promise<string[]> {
  const handled = new Set<string>();
  const groups = new Set<string>();
  const filled: string[] = [];
  // A listener turns Chromium's file-chooser interception on now, not in a race with the key press below.
  const keepIntercepting = () => {};
  page.on('filechooser', keepIntercepting);
  try {
    return await keyboardFillLoop(page, formSelector, submitSelector, max, handled, groups, filled);
  } finally {
    page.off('filechooser', keepIntercepting);
  }
}

async function keyboardFillLoop(
  page: Page,
  formSelector: string,
  submitSelector: string,
  max: number,
  handled: Set<string>,
  groups: Set<string>,
  filled: string[],
): Promise<string[]> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const c = await focusedControl(page, formSelector, submitSelector);
    if (c.isSubmit) return filled;
    if (!c.inForm || !c.id || handled.has(c.id)) continue;
    handled.add(c.id);
    if (c.type === 'radio' || c.type === 'checkbox') {
      if (groups.has(c.name)) continue;
      groups.add(c.name);
      if (!c.checked) await page.keyboard.press('Space');
    } else if (c.type === 'file') {
      // Space opens the chooser; if Chromium dropped that key (no user activation yet), Enter does too.
      let chooser = await Promise.all([page.waitForEvent('filechooser', { timeout: 10_000 }), page.keyboard.press('Space')]).then(
        ([fc]) => fc,
        () => null,
      );
      chooser ??= (await Promise.all([page.waitForEvent('filechooser'), page.keyboard.press('Enter')]))[0];
      await chooser.setFiles(fixtureFor(c));
    } else if (c.tag === 'select') {
      if (!c.value) await page.keyboard.press('ArrowDown');
    } else {
      const value = c.value ? null : textFor(c);
      if (value === null) continue;
      await page.keyboard.type(c.type === 'date' || c.type === 'datetime-local' ? typedDate(value) : value);
    }
    filled.push(c.name);
  }
  throw new Error(`keyboard: the submit button ${submitSelector} was not reached after ${max} Tab presses`);
}
