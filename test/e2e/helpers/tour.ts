// The tour: one server, one Chromium, visitors (browser contexts) that visit pages. Every visit is measured
// (requests, bytes, DOM, EcoIndex, axe) and checked against the budgets; what fails is collected with the
// page, the figure and the limit, so one run reports every problem and still writes docs/pages.md.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, newGuardedContext, PHONE, DESKTOP } from './browser.ts';
import { startTourServer, type TourServer } from './server.ts';
import { NetworkProbe } from './probe.ts';
import { runAxe, describeViolations } from './axe.ts';
import { ecoIndexGrade, ecoIndexScore } from './ecoindex.ts';
import { overBudget, type PageKind } from './budgets.ts';
import { clearScreenshots, writePagesReport, SCREENSHOTS, type PageRow } from './report.ts';
import { statSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import type { TestContext } from 'node:test';

export interface Visitor {
  context: BrowserContext;
  page: Page;
  probe: NetworkProbe;
  js: boolean;
  /** A JavaScript-disabled page sharing this visitor's cookies, opened on first need. */
  shadow?: Page;
}

export interface VisitOptions {
  /** Row name in docs/pages.md: one row per distinct page. */
  name: string;
  kind: PageKind;
  /** Expected final status (default: any 2xx). */
  status?: number;
  /** File name stem under docs/screenshots/ (phone and desktop). */
  screenshot?: string;
  /** Re-open the page in a JavaScript-disabled browser with the same cookies (default: yes for GET pages). */
  recheckWithoutJs?: boolean;
}

/** Path shown in the report: ids and tokens replaced by placeholders. */
export function displayPath(url: string): string {
  const u = new URL(url);
  const path = u.pathname
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, ':id')
    .replace(/\/\d+(?=\/|$)/g, '/:n')
    .replace(/\/(?=[A-Za-z_-]*\d)[A-Za-z0-9_-]{20,}(?=\/|$)/g, '/:token');
  return path + (u.search ? u.search.replace(/=[^&]*/g, '=…') : '');
}

export class Tour {
  readonly rows = new Map<string, PageRow>();
  readonly problems: string[] = [];
  readonly skipped: string[] = [];
  readonly browser: Browser;
  readonly origin: string;
  private readonly server: TourServer | null;

  private readonly startedAt: number;

  /** Whether finish() writes docs/pages.md and screenshots are taken (not for a partial tour). */
  private readonly report: boolean;

  private constructor(browser: Browser, origin: string, server: TourServer | null, startedAt = Date.now(), report = true) {
    this.report = report;
    this.startedAt = startedAt;
    this.browser = browser;
    this.origin = origin;
    this.server = server;
  }

  /** The real tour: Bastide started on a fresh embedded database; finish() writes docs/pages.md. */
  static async start(options: { report?: boolean } = {}): Promise<Tour> {
    const startedAt = Date.now();
    const [server, browser] = await Promise.allSettled([startTourServer(), launchChromium()]);
    if (server.status === 'rejected' || browser.status === 'rejected') {
      if (server.status === 'fulfilled') await server.value.stop();
      if (browser.status === 'fulfilled') await browser.value.close();
      throw server.status === 'rejected' ? server.reason : (browser as PromiseRejectedResult).reason;
    }
    if (options.report === false) return new Tour(browser.value, server.value.origin, server.value, startedAt, false);
    clearScreenshots();
    return new Tour(browser.value, server.value.origin, server.value, startedAt);
  }

  /** A tour of any server (the instrument's own tests); nothing is written to docs/. */
  static async against(origin: string): Promise<Tour> {
    return new Tour(await launchChromium(), origin, null);
  }

  url(path: string): string {
    return this.origin + path;
  }

  async visitor(options: { js?: boolean; from?: Visitor } = {}): Promise<Visitor> {
    const js = options.js ?? true;
    const storageState = options.from ? await options.from.context.storageState() : undefined;
    const context = await newGuardedContext(this.browser, this.origin, this.problems, { javaScriptEnabled: js, storageState });
    const page = await context.newPage();
    return { context, page, probe: await NetworkProbe.attach(page), js };
  }

  /** Whether the server knows a path at all (any answer but 404: a staff page may redirect to sign-in). */
  async routeExists(path: string): Promise<boolean> {
    const response = await fetch(this.url(path), { redirect: 'manual' });
    await response.arrayBuffer();
    return response.status !== 404;
  }

  /** A step that cannot run yet: a skipped subtest in the test output, and a line in docs/pages.md. */
  async skip(t: TestContext, step: string, reason: string): Promise<void> {
    this.skipped.push(`${step}: ${reason}`);
    await t.test(step, { skip: reason }, () => {});
  }

  async open(v: Visitor, options: VisitOptions, path: string): Promise<void> {
    await this.visit(v, options, () => v.page.goto(this.url(path)));
  }

  /** A navigation that is not measured again (the same page template as one already checked). */
  async go(v: Visitor, action: () => Promise<unknown>): Promise<void> {
    v.probe.reset();
    await action();
    await v.probe.settled();
    const status = v.probe.documentStatus!;
    if (status >= 400)
      throw new Error(
        `${v.page.url()}: HTTP ${status}${await v.page
          .locator('.error-summary')
          .textContent()
          .then((s) => `: ${s?.replace(/\s+/g, ' ')}`)
          .catch(() => '')}`,
      );
  }

  /** Runs `action` (a navigation: goto, click, submit), waits for the page to settle, measures and checks it. */
  async visit(v: Visitor, o: VisitOptions, action: () => Promise<unknown>): Promise<void> {
    const started = Date.now();
    const lap = (what: string) => {
      if (process.env.E2E_TRACE) console.log(`  ${o.name}: ${what} at ${Date.now() - started} ms`);
    };
    v.probe.reset();
    await action();
    await v.probe.settled();
    await v.page.waitForLoadState('load');
    lap('loaded');
    const url = v.page.url();
    const path = displayPath(url);
    const label = `${o.name} (${path}${v.js ? '' : ', JavaScript off'})`;
    const status = v.probe.documentStatus!;
    if (o.status ? status !== o.status : status < 200 || status > 299) {
      throw new Error(`${label}: HTTP ${status}, expected ${o.status ?? '2xx'}; requests: ${v.probe.urls.join(', ')}`);
    }
    const { requests, bytes } = v.probe;
    const dom = await v.page.evaluate(() => document.getElementsByTagName('*').length);
    const ecoIndex = ecoIndexScore(dom, requests, bytes / 1024);
    const violations = v.js ? await runAxe(v.page) : await this.axeOnCopy(url, await v.page.content());
    lap('axe done');
    this.problems.push(...describeViolations(label, violations));
    this.problems.push(...overBudget(label, o.kind, { bytes, requests, dom, ecoIndex }));

    let jsOff = v.js ? '—' : 'yes (flow)';
    const proven = this.rows.get(o.name)?.jsOff.startsWith('yes');
    if (v.js && !proven && (o.recheckWithoutJs ?? true) && v.probe.documentMethod === 'GET') jsOff = await this.rendersWithoutJs(v, url, label);
    lap('JS-off check done');
    if (o.screenshot && this.report) await this.screenshot(v.page, o.screenshot);
    lap('screenshots done');

    const row: PageRow = {
      name: o.name,
      path,
      kind: o.kind,
      bytes,
      requests,
      dom,
      ecoIndex,
      grade: ecoIndexGrade(ecoIndex),
      axe: violations.length,
      jsOff,
      screenshot: o.screenshot,
    };
    const previous = this.rows.get(o.name);
    if (!previous) this.rows.set(o.name, row);
    else {
      // Keep the heaviest measure of a page seen several times; remember any JS-off evidence.
      const keep = row.ecoIndex < previous.ecoIndex ? row : previous;
      const evidence = [previous.jsOff, row.jsOff];
      keep.jsOff = evidence.includes('no') ? 'no' : evidence.includes('yes (flow)') ? 'yes (flow)' : evidence.includes('yes') ? 'yes' : '—';
      keep.screenshot = previous.screenshot ?? row.screenshot;
      keep.axe = Math.max(previous.axe ?? 0, row.axe ?? 0);
      this.rows.set(o.name, keep);
    }
  }

  private scratch: Page | null = null;

  /**
   * axe needs script in the page; a JavaScript-disabled page is checked as a copy of its DOM served at
   * its own address in a script-enabled page, the page's own scripts blocked (so the DOM stays as it was).
   */
  private async axeOnCopy(url: string, content: string) {
    if (!this.scratch) {
      const context = await newGuardedContext(this.browser, this.origin, this.problems);
      await context.route('**/*', (route) => {
        const request = route.request();
        if (request.resourceType() === 'script') return route.abort();
        if (request.isNavigationRequest()) return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: this.scratchContent ?? '' });
        return route.continue();
      });
      this.scratch = await context.newPage();
    }
    this.scratchContent = content;
    await this.scratch.goto(url);
    return runAxe(this.scratch);
  }

  private scratchContent: string | null = null;

  private async rendersWithoutJs(v: Visitor, url: string, label: string): Promise<string> {
    if (!v.shadow) {
      const context = await newGuardedContext(this.browser, this.origin, this.problems, { javaScriptEnabled: false });
      v.shadow = await context.newPage();
      v.context.once('close', () => void context.close().catch(() => {}));
    }
    const shadowContext = v.shadow.context();
    await shadowContext.clearCookies();
    await shadowContext.addCookies(await v.context.cookies());
    const response = await v.shadow.goto(url);
    const ok = response !== null && response.status() < 400 && (await v.shadow.locator('main h1').count()) > 0;
    if (!ok) this.problems.push(`${label}: does not render with JavaScript disabled (HTTP ${response?.status() ?? 'none'})`);
    return ok ? 'yes' : 'no';
  }

  private async screenshot(page: Page, stem: string): Promise<void> {
    for (const [suffix, size] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      await page.setViewportSize(size);
      const file = new URL(`${stem}-${suffix}.png`, SCREENSHOTS);
      await page.screenshot({ path: file.pathname, fullPage: false, animations: 'disabled', caret: 'hide' });
      const kb = statSync(file).size / 1024;
      if (kb > 150) this.problems.push(`screenshot ${stem}-${suffix}.png is ${kb.toFixed(0)} KB, keep it under 150 KB`);
    }
    await page.setViewportSize(DESKTOP);
  }

  /** Fails the calling test with every problem recorded since `mark`. */
  assertClean(mark: number): void {
    const fresh = this.problems.slice(mark);
    if (fresh.length) throw new Error(`${fresh.length} problem(s):\n- ${fresh.join('\n- ')}`);
  }

  async finish(): Promise<void> {
    if (this.server && this.report) {
      writePagesReport([...this.rows.values()], {
        chromium: this.browser.version(),
        skipped: this.skipped,
        problems: this.problems,
        seconds: Math.round((Date.now() - this.startedAt) / 1000),
        load: loadavg()[0]!,
        cores: availableParallelism(),
      });
    }
    await this.browser.close();
    await this.server?.stop();
  }

  /** The server's output (to explain a failure). */
  serverOutput(): string {
    return this.server?.output() ?? '';
  }
}
