// Keyboard-only navigation: Tab until the wanted control has the focus (proving it is reachable in the
// tab order), then Enter / Space / typing. No clicks.
import type { Page } from 'playwright-core';

export interface Focused {
  tag: string;
  /** Visible text of a link or button, or the label of a form control. */
  text: string;
  name: string | null;
  type: string | null;
  href: string | null;
}

export async function focused(page: Page): Promise<Focused> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { tag: 'body', text: '', name: null, type: null, href: null };
    const control = el as HTMLInputElement;
    const label = control.labels?.length
      ? Array.from(control.labels)
          .map((l) => l.textContent ?? '')
          .join(' ')
      : '';
    return {
      tag: el.tagName.toLowerCase(),
      text: (label || el.getAttribute('aria-label') || el.textContent || control.value || '').replace(/\s+/g, ' ').trim(),
      name: el.getAttribute('name'),
      type: el.getAttribute('type'),
      href: el.getAttribute('href'),
    };
  });
}

/** Presses Tab until `matches` holds for the focused element; fails after `max` presses. */
export async function tabTo(page: Page, description: string, matches: (f: Focused) => boolean, max = 80): Promise<Focused> {
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (matches(f)) return f;
    seen.push(`${f.tag}${f.name ? `[name=${f.name}]` : ''} "${f.text.slice(0, 30)}"`);
  }
  throw new Error(`keyboard: ${description} not reached after ${max} Tab presses on ${page.url()}; focus went through: ${seen.slice(0, 40).join(', ')}`);
}

export const byText = (pattern: RegExp) => (f: Focused) => pattern.test(f.text);
export const byName = (name: string) => (f: Focused) => f.name === name;
export const byHref = (pattern: RegExp) => (f: Focused) => f.href !== null && pattern.test(f.href);
