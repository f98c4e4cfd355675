// What the contacts benchmark measures inside the page, on the page's own clock. "Painted"
// is taken as the first task after the next animation frame, i.e. after that frame's paint.
import type { Page } from '@playwright/test';

interface PageProbes {
  contactResponses: number[];
  firstRowsPainted?: number;
  fullListPainted?: number;
  keystrokes: number[];
}

export interface Probes {
  waitForAllContacts(): Promise<number>;
  firstRowsAfterData(): Promise<{ firstPage: number; lastPage: number }>;
  /** Presses `key` and returns its keystroke → painted time. */
  keystroke(key: string): Promise<number>;
  scrollToEnd(): Promise<number>;
}

export async function installProbes(page: Page, apiUrl: string): Promise<Probes> {
  // Plain JS text, not a function: tsx (esbuild keepNames) would wrap named functions in
  // a `__name` helper that does not exist in the page.
  await page.addInitScript({
    content: `(() => {
      const api = ${JSON.stringify(apiUrl)};
      const probes = { contactResponses: [], keystrokes: [] };
      window.probes = probes;
      const afterPaint = (then) => requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => then(performance.now());
        channel.port2.postMessage(null);
      });
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          if (entry.name.startsWith(api + '/contacts?')) probes.contactResponses.push(entry.responseEnd);
        }
      }).observe({ type: 'resource', buffered: true });
      const watch = new MutationObserver(() => {
        if (probes.firstRowsPainted === undefined && document.querySelector('.contact-name')) {
          probes.firstRowsPainted = -1;
          afterPaint((at) => { probes.firstRowsPainted = at; });
        }
        const count = document.getElementById('contact-count')?.textContent ?? '';
        if (probes.fullListPainted === undefined && /^[\\d,]+ contacts$/.test(count)) {
          probes.fullListPainted = -1;
          afterPaint((at) => { probes.fullListPainted = at; });
        }
      });
      document.addEventListener('DOMContentLoaded', () =>
        watch.observe(document.body, { childList: true, subtree: true, characterData: true }));
      let keyAt = 0;
      document.addEventListener('keydown', (event) => { keyAt = event.timeStamp; }, true);
      document.addEventListener('input', () => {
        const start = keyAt;
        afterPaint((at) => probes.keystrokes.push(at - start));
      }, true);
    })();`,
  });

  const read = () => page.evaluate(() => (window as unknown as { probes: PageProbes }).probes);
  return {
    async waitForAllContacts() {
      await page
        .waitForFunction(
          () => ((window as unknown as { probes: PageProbes }).probes.fullListPainted ?? -1) > 0,
          undefined,
          { timeout: 120_000 },
        )
        .catch(async (error: unknown) => {
          const shown = await page.locator('#contact-count').textContent();
          const state = await read();
          const seen = await page.evaluate(() => ({
            url: location.href,
            resources: performance
              .getEntriesByType('resource')
              .map((e) => e.name)
              .slice(-8),
          }));
          throw new Error(`list never complete: "${shown}", ${JSON.stringify({ state, seen })}`, {
            cause: error,
          });
        });
      const text = await page.locator('#contact-count').textContent();
      return Number(text?.replace(/\D/g, ''));
    },
    async firstRowsAfterData() {
      const probes = await read();
      const [first] = probes.contactResponses;
      const last = probes.contactResponses[probes.contactResponses.length - 1];
      return {
        firstPage: (probes.firstRowsPainted ?? Number.NaN) - (first ?? Number.NaN),
        lastPage: (probes.fullListPainted ?? Number.NaN) - (last ?? Number.NaN),
      };
    },
    async keystroke(key: string) {
      const before = (await read()).keystrokes.length;
      await page.keyboard.press(key);
      await page.waitForFunction(
        (n) => (window as unknown as { probes: PageProbes }).probes.keystrokes.length > n,
        before,
      );
      const { keystrokes } = await read();
      return keystrokes[keystrokes.length - 1] ?? Number.NaN;
    },
    scrollToEnd() {
      return page.evaluate(async () => {
        const scroller = document.querySelector<HTMLElement>('[data-testid="contact-scroller"]');
        if (!scroller) throw new Error('no contact list on the page');
        let most = 0;
        while (scroller.scrollTop + scroller.clientHeight < scroller.scrollHeight - 1) {
          scroller.scrollTop += scroller.clientHeight * 3;
          await new Promise((resolve) => requestAnimationFrame(resolve));
          most = Math.max(most, scroller.querySelectorAll('li').length);
        }
        await new Promise((resolve) => requestAnimationFrame(resolve));
        return Math.max(most, scroller.querySelectorAll('li').length);
      });
    },
  };
}
