import { describe, expect, it } from '@jest/globals';
import { chromium } from 'playwright-core';
import { bundledChromium } from './support/chromium.js';

/**
 * The browser a fresh machine runs the GraphiQL tests in (ADR 0006). Where a system
 * Chromium exists those tests prefer it, so this keeps the npm-only path proven too.
 */
describe('the Chromium inside @sparticuz/chromium', () => {
  it('starts under playwright-core and lets a person type into a page', async () => {
    const { executablePath, args } = await bundledChromium();
    const browser = await chromium.launch({ executablePath, args: [...args] });
    try {
      const page = await browser.newPage();
      await page.setContent('<label>Symbol <input id="symbol"></label>');
      await page.click('#symbol');
      await page.keyboard.insertText('BTC-USDT');
      expect(await page.inputValue('#symbol')).toBe('BTC-USDT');
    } finally {
      await browser.close();
    }
  });
});
