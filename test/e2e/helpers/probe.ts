// What one page view costs, seen from the browser through the Chrome DevTools Protocol: every request
// (redirect hops included), the compressed bytes received, the main document's status and method.
// The cache is disabled so each page is measured as a first-time visitor sees it.
import type { CDPSession, Page } from 'playwright-core';

export class NetworkProbe {
  requests = 0;
  bytes = 0;
  urls: string[] = [];
  documentStatus: number | null = null;
  documentMethod: string | null = null;
  private readonly inflight = new Set<string>();
  private lastActivity = Date.now();
  private readonly cdp: CDPSession;

  private constructor(cdp: CDPSession) {
    this.cdp = cdp;
  }

  static async attach(page: Page): Promise<NetworkProbe> {
    const cdp = await page.context().newCDPSession(page);
    const probe = new NetworkProbe(cdp);
    cdp.on('Network.requestWillBeSent', (e) => {
      if (e.redirectResponse) probe.bytes += e.redirectResponse.encodedDataLength;
      if (e.request.url.startsWith('data:')) return;
      probe.requests += 1;
      probe.urls.push(`${e.request.method} ${e.request.url}`);
      probe.inflight.add(e.requestId);
      if (e.type === 'Document') probe.documentMethod = e.request.method;
      probe.lastActivity = Date.now();
    });
    cdp.on('Network.responseReceived', (e) => {
      if (e.type === 'Document') probe.documentStatus = e.response.status;
      probe.lastActivity = Date.now();
    });
    cdp.on('Network.loadingFinished', (e) => {
      if (probe.inflight.delete(e.requestId)) probe.bytes += e.encodedDataLength;
      probe.lastActivity = Date.now();
    });
    cdp.on('Network.loadingFailed', (e) => {
      probe.inflight.delete(e.requestId);
      probe.lastActivity = Date.now();
    });
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    return probe;
  }

  reset(): void {
    this.requests = 0;
    this.bytes = 0;
    this.urls = [];
    this.documentStatus = null;
    this.documentMethod = null;
    this.inflight.clear();
    this.lastActivity = Date.now();
  }

  /** Resolves once a document arrived and nothing has been in flight for `quietMs`. */
  async settled(quietMs = 250, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.documentStatus !== null && this.inflight.size === 0 && Date.now() - this.lastActivity >= quietMs) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(
      `the page did not settle within ${timeoutMs} ms (document ${this.documentStatus ?? 'not received'}, ${this.inflight.size} requests in flight: ${this.urls.slice(-5).join(', ')})`,
    );
  }
}
