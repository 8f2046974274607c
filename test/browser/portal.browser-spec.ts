/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { LANGUAGES } from '../../apps/registry/src/public/portal/i18n.js';
import { DEMO_TOOLS } from '../../apps/registry/src/seed/demo-data.js';
import { DemoSeeder } from '../../apps/registry/src/seed/demo-seeder.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { accessibilityViolations, launchChromium, SCREENSHOTS, screenshot } from '../support/browser.js';
import { waitForTreeSize } from '../support/log.js';

const publicTools = DEMO_TOOLS.filter((tool) => tool.outcome === 'published' && !tool.nonPublic);
const REVISED = 'Priorizador de denuncias de violencia doméstica';

// The portal as a reader uses it, in real headless Chromium, on the demonstration data.
describe('the public portal in a browser', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let revisedId: string;

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.get(DemoSeeder).seed();
    const [{ n }] = await t.sql<{ n: string }>('SELECT count(*) AS n FROM log_queue');
    await waitForTreeSize(t.http, Number(n));
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    revisedId = (await t.http.get('/api/v1/public/tools').query({ q: 'Priorizador' }).expect(200)).body.items[0].id;
    browser = await launchChromium();
    context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1200, height: 900 }, locale: 'en-GB' });
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('sends a reader to their language, then searches and filters the published tools', async () => {
    const spanish = await browser.newContext({ locale: 'es-MX', extraHTTPHeaders: { 'Accept-Language': 'es-MX,es;q=0.9,en;q=0.5' } });
    const welcome = await spanish.newPage();
    await welcome.goto(`${base}/`);
    expect(new URL(welcome.url()).pathname).toBe('/es');
    expect(await welcome.getAttribute('html', 'lang')).toBe('es');
    await spanish.close();

    await page.goto(`${base}/en`);
    await screenshot(page, 'home-en');
    await page.getByLabel('Search by name, description, provider or agency').fill('transcri');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/\/en\/tools\?q=transcri/);
    const found = await page.locator('article.result h3').allTextContents();
    expect(found.sort()).toEqual(publicTools.filter((tool) => /transcri/i.test(`${tool.name} ${tool.description} ${tool.purpose}`)).map((tool) => tool.name).sort());

    await page.goto(`${base}/en/tools`);
    await expect(page.locator('#results-title').textContent()).resolves.toBe(`${publicTools.length} tools`);
    await page.getByLabel('Risk class').selectOption('high_risk');
    await page.getByLabel('Country', { exact: true }).selectOption('BR');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/riskClass=high_risk/);
    const expected = publicTools.filter((tool) => tool.risk === 'high_risk' && tool.agency.startsWith('br-'));
    expect(await page.locator('article.result h3').allTextContents()).toEqual(expected.map((tool) => tool.name));
    await expect(page.locator('#results-title').textContent()).resolves.toBe(`${expected.length} ${expected.length === 1 ? 'tool' : 'tools'}`);
    await screenshot(page, 'search-filtered-en');
  });

  it('opens a tool, with its sections, redaction notice, assessments and findings', async () => {
    await page.goto(`${base}/en/tools?q=Priorizador`);
    await page.getByRole('link', { name: REVISED }).click();
    await page.waitForURL(`${base}/en/tools/${revisedId}`);
    expect(await page.locator('h1').textContent()).toBe(REVISED);
    expect(await page.locator('h1').getAttribute('lang')).toBe('es');
    await expect(page.getByRole('heading', { name: 'Information withheld' }).isVisible()).resolves.toBe(true);
    expect(await page.locator('.redacted').first().textContent()).toContain('Integrity of criminal investigations');
    expect(await page.locator('table.disparities').textContent()).toContain('Exceeds tolerance');
    // What the figure is, and why the second result cannot be determined.
    expect(await page.locator('table.disparities').textContent()).toContain("1.41 × the reference group's rate");
    await expect(page.locator('table.disparities .reason').first().textContent()).resolves.toMatch(/spans the tolerance of 1\.25/);
    await expect(page.getByRole('heading', { name: 'Mitigations declared for the disparities that exceed the tolerance' }).isVisible()).resolves.toBe(true);
    await expect(page.locator('figure.rates figcaption').first().textContent()).resolves.toContain('False negative rate by group');
    expect(await page.locator('p.marker').textContent()).toContain('OECD');
    expect(await page.locator('#findings ~ table, #findings + table').first().textContent()).toContain('High');
    await screenshot(page, 'tool-en');
  });

  it('switches language from the visible switch, keeping the page', async () => {
    await page.goto(`${base}/en/tools/${revisedId}`);
    await page.getByRole('navigation', { name: 'Language' }).getByRole('link', { name: 'Français' }).click();
    await page.waitForURL(`${base}/fr/tools/${revisedId}`);
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    await expect(page.getByRole('heading', { name: 'Vérifier cette déclaration' }).isVisible()).resolves.toBe(true);
    // The declaration itself stays in the language it was written in, labelled as such.
    expect(await page.locator('h1').textContent()).toBe(REVISED);
    expect(await page.locator('.lang-note').first().textContent()).toMatch(/espagnol/i);
    await screenshot(page, 'tool-fr');
    await page.getByRole('navigation', { name: 'Langue' }).getByRole('link', { name: 'Português' }).click();
    await page.waitForURL(`${base}/pt/tools/${revisedId}`);
    expect(await page.getAttribute('html', 'lang')).toBe('pt');
  });

  it('shows the difference between two published revisions', async () => {
    await page.goto(`${base}/en/tools/${revisedId}/history`);
    await page.getByLabel('Older revision').selectOption('1');
    await page.getByLabel('Newer revision').selectOption('2');
    await page.getByRole('button', { name: 'Show the differences' }).click();
    await page.waitForURL(/from=1&to=2/);
    const rows = await page.locator('table.diff tbody tr').allTextContents();
    const stage = rows.find((row) => row.includes('Current stage'))!;
    expect(stage).toContain('Pilot');
    expect(stage).toContain('In use');
    const withheld = rows.find((row) => row.includes('Training data'))!;
    expect(withheld).toContain('Training data (withheld)');
    expect(withheld).toContain('Withheld: Integrity of criminal investigations.');
    await screenshot(page, 'history-en');
  });

  it('verifies a revision against the signed log in the browser, and turns red when the proof is altered', async () => {
    await page.goto(`${base}/en/tools/${revisedId}`);
    await page.getByRole('button', { name: 'Check in this browser' }).click();
    await page.waitForSelector('.verify-status.ok, .verify-status.failed');
    expect(await page.locator('.verify-status').textContent()).toBe('Verified: this content is in the signed log.');
    expect(await page.locator('.steps li').allTextContents()).toEqual([
      expect.stringContaining('✓ The public content matches its hash'),
      expect.stringContaining('✓ The log entry records that hash'),
      expect.stringContaining("✓ The checkpoint is signed by the log's key"),
      expect.stringContaining('✓ The inclusion proof leads from the entry'),
    ]);
    await page.locator('#verify').screenshot({ path: 'test/screenshots/verify-ok-en.png' });

    // A proof with one hash changed must not verify.
    await page.route('**/api/v1/log/proofs/inclusion*', async (route) => {
      const response = await route.fetch();
      const proof = await response.json();
      const first = Buffer.from(proof.hashes[0], 'base64');
      first[0] ^= 1;
      proof.hashes[0] = first.toString('base64');
      await route.fulfill({ response, json: proof });
    });
    await page.reload();
    await page.getByRole('button', { name: 'Check in this browser' }).click();
    await page.waitForSelector('.verify-status.ok, .verify-status.failed');
    expect(await page.locator('.verify-status').textContent()).toContain('FAILED');
    expect(await page.locator('.verify-status').evaluate((el) => getComputedStyle(el).color)).toBe('rgb(164, 22, 26)');
    expect(await page.locator('.steps li.failed').textContent()).toContain('inclusion proof');
    await page.locator('#verify').screenshot({ path: 'test/screenshots/verify-failed-en.png' });
    await page.unroute('**/api/v1/log/proofs/inclusion*');

    // So must content that differs from what was logged.
    await page.route('**/api/v1/public/tools/*/revisions', async (route) => {
      const response = await route.fetch();
      const history = await response.json();
      history.items[history.items.length - 1].content.identity.name = 'Something else';
      await route.fulfill({ response, json: history });
    });
    await page.reload();
    await page.getByRole('button', { name: 'Check in this browser' }).click();
    await page.waitForSelector('.verify-status.ok, .verify-status.failed');
    expect(await page.locator('.steps li.failed').textContent()).toContain('public content matches its hash');
    await page.unroute('**/api/v1/public/tools/*/revisions');
  });

  it('downloads the CSV export from the portal', async () => {
    await page.goto(`${base}/en`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#open-data').getByRole('link', { name: 'All tools as CSV' }).click()]);
    expect(download.suggestedFilename()).toBe('custodia-tools.csv');
    const text = readFileSync((await download.path())!, 'utf8');
    expect(text.startsWith('\uFEFFid,')).toBe(true); // the byte-order mark spreadsheets need
    const lines = text.trim().split('\r\n');
    expect(lines[0]).toMatch(/^id,reference,agency_id,agency_name,agency_country,agency_kind,language,name,/);
    expect(lines).toHaveLength(publicTools.length + 1);
    expect(text).toContain(REVISED);
  });

  it('prints a tool page and its history as a clean A4 document whose every page says how to check it against the log', async () => {
    const tool = (await t.http.get(`/api/v1/public/tools/${revisedId}`).expect(200)).body;
    for (const [path, name] of [[`/en/tools/${revisedId}`, 'tool'], [`/en/tools/${revisedId}/history?from=1&to=2`, 'history']]) {
      await page.goto(`${base}${path}`);
      await page.emulateMedia({ media: 'print' });
      await screenshot(page, `print-${name}-en`);
      await page.emulateMedia({ media: null }); // page.pdf prints with print media unless screen is emulated
      const file = join(SCREENSHOTS, `print-${name}-en.pdf`);
      await page.pdf({ path: file, format: 'A4', preferCSSPageSize: true });
      const pages = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).split('\f').filter((p) => p.trim());
      // The tool runs over several pages, so that "every page" is tested; its history fits on one.
      expect([name, pages.length > 1]).toEqual([name, name === 'tool']);
      for (const [n, text] of pages.entries()) {
        const flat = text.replace(/\s+/g, ' ');
        expect([name, n, flat]).toEqual([name, n, expect.stringContaining(`${tool.reference}, published revision ${tool.revision} · audit log entry ${tool.log.index}`)]);
        expect([name, n, flat.includes(tool.publicContentHash)]).toEqual([name, n, true]);
        expect([name, n, flat]).toEqual([name, n, expect.stringMatching(new RegExp(`${n + 1} ?/ ?${pages.length}`))]);
      }
      const all = pages.join(' ').replace(/\s+/g, ' ');
      expect(all).toContain(REVISED);
      // Only the record: no navigation, search box or button on paper.
      for (const chrome of ['Skip to content', 'Check in this browser', 'Search by name', 'Español Português']) expect([name, all.includes(chrome)]).toEqual([name, false]);
    }
    // The assessment's full text, folded away on screen, is on paper.
    const printed = execFileSync('pdftotext', [join(SCREENSHOTS, 'print-tool-en.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(printed).toContain('Everything the assessment says');
    expect(printed).toContain('Cociente de tasas de falsos negativos');
  });

  it('works by keyboard: a skip link first, and a visible focus', async () => {
    await page.goto(`${base}/en/tools`);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    expect(await page.locator('.skip').boundingBox()).toMatchObject({ x: 0 });
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).toBe('solid');
  });

  it('works without JavaScript: search, a tool page and its verification data', async () => {
    const plain = await browser.newContext({ javaScriptEnabled: false });
    const noScript = await plain.newPage();
    await noScript.goto(`${base}/pt/tools?lifecycle=suspended`);
    expect(await noScript.locator('article.result h3').allTextContents()).toEqual(['Mapa preditivo de ocorrências']);
    await noScript.locator('article.result h3 a').click();
    await noScript.waitForURL(/\/pt\/tools\//);
    expect(await noScript.locator('#verify code').first().textContent()).toMatch(/^\d+$/);
    expect(await noScript.locator('.run-verify').isVisible()).toBe(false);
    await plain.close();
  });

  it.each(LANGUAGES)('meets WCAG 2.1 AA on every kind of page (axe-core), in %s', async (lang) => {
    const agencyId = (await t.http.get(`/api/v1/public/tools/${revisedId}`).expect(200)).body.agency.id;
    const pages = [
      '', '/tools', '/tools?riskClass=bogus', '/tools?page=2', `/tools/${revisedId}`, `/tools/${revisedId}/history?from=1&to=2`,
      `/agencies/${agencyId}`, '/verify', '/statistics', `/tools/${revisedId}/report`,
      // The pages that explain an address the portal cannot answer.
      '/tools/00000000-0000-0000-0000-000000000000', '/tools?page=99', `/tools/${revisedId}/history?from=2&to=9`,
    ];
    for (const path of pages) {
      await page.goto(`${base}/${lang}${path}`);
      expect([path, await accessibilityViolations(page)]).toEqual([path, []]);
    }
    await page.goto(`${base}/${lang}/agencies/${agencyId}`);
    await screenshot(page, `agency-${lang}`);
    await page.goto(`${base}/${lang}/verify`);
    await screenshot(page, `verify-page-${lang}`);
    await page.goto(`${base}/${lang}/statistics`);
    await screenshot(page, `statistics-${lang}`);
  });
});
