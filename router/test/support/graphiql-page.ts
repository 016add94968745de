import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumToLaunch } from './chromium.js';

/** GraphiQL open in headless Chromium, driven the way a person would use it. */
export interface GraphiQLPage {
  readonly page: Page;
  /** Requests to anything but the router (blocked: GraphiQL must work offline). */
  readonly foreignRequests: readonly string[];
  readonly pageErrors: readonly string[];
  /** Types `json` into the Headers tab. */
  setHeaders(headers: Record<string, string>): Promise<void>;
  /** Types `query` into the editor and presses the run button. */
  run(query: string): Promise<void>;
  /** The result pane's text once it shows `expected` (or after the wait times out). */
  resultShowing(expected: string): Promise<string>;
  close(): Promise<void>;
}

export const openGraphiQL = async (routerUrl: string): Promise<GraphiQLPage> => {
  const { executablePath, args, source } = await chromiumToLaunch();
  const browser: Browser = await chromium
    .launch({ executablePath, args: [...args] })
    .catch((error: unknown) => {
      throw new Error(`Chromium (${source}, ${executablePath}) did not start`, { cause: error });
    });
  const page = await browser.newPage();
  const foreignRequests: string[] = [];
  const pageErrors: string[] = [];
  const origin = new URL(routerUrl).origin;
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin)) return route.continue();
    foreignRequests.push(url);
    return route.abort();
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  await page.goto(`${origin}/graphiql`);
  await page.waitForSelector('.graphiql-query-editor .CodeMirror');

  const replaceText = async (editorSelector: string, text: string) => {
    await page.click(`${editorSelector} .CodeMirror-lines`);
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(text);
  };

  return {
    page,
    foreignRequests,
    pageErrors,
    setHeaders: (headers) =>
      replaceText(
        'section[aria-label="Headers"] .graphiql-editor:not(.hidden)',
        JSON.stringify(headers),
      ),
    async run(query) {
      await replaceText('.graphiql-query-editor', query);
      // GraphiQL re-parses the editor 100 ms after the last keystroke, and picks
      // HTTP or WebSocket from that parse: a person never clicks sooner.
      await page.waitForTimeout(300);
      await page.click('.graphiql-execute-button');
    },
    async resultShowing(expected) {
      const result = page.locator('.result-window');
      await result
        .filter({ hasText: expected })
        .waitFor({ timeout: 10_000 })
        .catch(() => undefined);
      return result.innerText();
    },
    close: () => browser.close(),
  };
};
