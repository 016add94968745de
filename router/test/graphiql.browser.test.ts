import { existsSync } from 'node:fs';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startTestGraph, type TestGraph } from './support/test-graph.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * GraphiQL in a real browser: it must load from the router alone (no CDN),
 * run a query across subgraphs, and send the headers typed into its editor.
 */
describe('GraphiQL in Chromium', () => {
  let graph: TestGraph;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const foreignRequests: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      // Failing (not skipping) keeps CI honest; locally, install it or point CHROMIUM_PATH at one.
      throw new Error(
        `Chromium was not found at ${CHROMIUM}. Install it (Debian/Ubuntu: "sudo apt-get install -y chromium") ` +
          'or set CHROMIUM_PATH to a Chromium/Chrome executable, then run this test again.',
      );
    }
    graph = await startTestGraph();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
    page = await browser.newPage();
    const origin = new URL(graph.router.url).origin;
    // Anything not served by the router would break GraphiQL offline: record and block it.
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
  });

  afterAll(async () => {
    await browser?.close();
    await graph?.stop();
  });

  const replaceText = async (editorSelector: string, text: string) => {
    await page.click(`${editorSelector} .CodeMirror-lines`);
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(text);
  };

  const run = async (query: string) => {
    await replaceText('.graphiql-query-editor', query);
    await page.click('.graphiql-execute-button');
  };

  /** The result pane's text once it shows `expected` (or after the wait times out). */
  const resultShowing = async (expected: string) => {
    const result = page.locator('.result-window');
    await result
      .filter({ hasText: expected })
      .waitFor({ timeout: 10_000 })
      .catch(() => undefined);
    return result.innerText();
  };

  it('runs a query across subgraphs and shows the result', async () => {
    await run('{ user(id: "u1") { name notes } }');
    const result = await resultShowing('sell AAPL');
    expect(result).toContain('"sell AAPL"');
    expect(result).toContain('"name": "Ada"');
  });

  it('sends the Authorization header typed into the headers editor', async () => {
    const token = await graph.tokenFor('u2');
    await replaceText(
      'section[aria-label="Headers"] .graphiql-editor:not(.hidden)',
      JSON.stringify({ Authorization: `Bearer ${token}` }),
    );
    await run('{ whoAmI }');
    expect(await resultShowing('"u2"')).toContain('"whoAmI": "u2"');
  });

  it('loaded everything from the router, without errors', () => {
    expect(foreignRequests).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
