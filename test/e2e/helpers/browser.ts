// Debian's Chromium driven by playwright-core: never a downloaded browser. Each context is a fresh
// profile (cookies, storage) in French, with a guard that records any request leaving the server under test.
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions } from 'playwright-core';

export const CHROMIUM = process.env.BASTIDE_CHROMIUM ?? '/usr/bin/chromium';
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 360, height: 740 };

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-default-apps',
      '--disable-extensions',
    ],
  });
}

/** Whether a URL may be fetched by a page of the server at `origin` (itself, or inline data). */
export function isAllowedUrl(url: string, origin: string): boolean {
  if (/^(data|blob|about):/.test(url)) return true;
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}

export async function newGuardedContext(browser: Browser, origin: string, problems: string[], options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ locale: 'fr-FR', viewport: DESKTOP, deviceScaleFactor: 1, ...options });
  context.on('request', (request) => {
    if (!isAllowedUrl(request.url(), origin)) {
      problems.push(`request to another host: ${request.method()} ${request.url()} (from ${request.frame().url()})`);
    }
  });
  return context;
}
