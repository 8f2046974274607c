/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { generateNoteKey } from '@custodia/tlog';
import { exampleDeclaration } from '../../apps/registry/src/declarations/schema/example-declaration.js';
import { WitnessCollector } from '../../apps/registry/src/log/witness-collector.service.js';
import { bearer, startTestApp, type TestApp } from '../support/app.js';
import { accessibilityViolations, launchChromium, screenshot } from '../support/browser.js';
import { waitForTreeSize } from '../support/log.js';
import { type RunningWitness, removeState, startWitness, witnessKey } from '../support/witness.js';

// The verify panel of a log with a witness: the browser checks the witness's cosignature itself.
describe('the verify panel with a witness', () => {
  const log = generateNoteKey('custodia.localhost/log');
  const key = witnessKey('oversight.example/witness');
  let witness: RunningWitness;
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let base: string;
  let toolId: string;

  beforeAll(async () => {
    witness = await startWitness({ name: 'oversight.example/witness', key, logs: [log.verifierKey] });
    t = await startTestApp({ LOG_SIGNING_KEY: log.signerKey, LOG_WITNESSES: `${key.verifierKey} ${witness.url}` });
    const agencyId = await t.createAgency('Policía Judicial', 'ES', 'police');
    const editor = bearer(await t.token(['agency_editor'], { agencyId, sub: 'editor' }));
    const approver = bearer(await t.token(['agency_approver'], { agencyId, sub: 'approver' }));
    const created = await t.http.post('/api/v1/tools').set(editor).send({ content: exampleDeclaration() }).expect(201);
    toolId = created.body.id;
    const submitted = await t.http.post(`/api/v1/tools/${toolId}/submit`).set(editor).set('If-Match', created.headers.etag).expect(200);
    await t.http.post(`/api/v1/tools/${toolId}/publish`).set(approver).set('If-Match', submitted.headers.etag).expect(200);
    const [{ n }] = await t.sql<{ n: string }>('SELECT count(*) AS n FROM log_queue');
    await waitForTreeSize(t.http, Number(n));
    await t.app.get(WitnessCollector).collect();
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await witness?.stop();
    if (witness) removeState(witness);
  });

  it('names the witness and verifies its cosignature in the browser', async () => {
    await page.goto(`${base}/en/tools/${toolId}`);
    expect(await page.locator('#verify ul.witnesses').textContent()).toBe('oversight.example/witness');
    await page.getByRole('button', { name: 'Check in this browser' }).click();
    await page.waitForSelector('.verify-status.ok, .verify-status.failed');
    expect(await page.locator('.verify-status').textContent()).toBe('Verified: this content is in the signed log.');
    expect(await page.locator('.steps li').nth(3).textContent()).toBe('✓ Independent witnesses cosigned the checkpoint — 1 of the required 1 — oversight.example/witness');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.locator('#verify').screenshot({ path: 'test/screenshots/verify-witnessed-en.png' });
  });

  it('turns red when the checkpoint it is served lacks the cosignature (a witness behind, or a split view)', async () => {
    await page.route('**/log/checkpoint', async (route) => {
      const response = await route.fetch();
      const note = (await response.text()).split('\n').filter((line) => !line.startsWith('\u2014 oversight.example/witness')).join('\n');
      await route.fulfill({ response, body: note });
    });
    await page.reload();
    await page.getByRole('button', { name: 'Check in this browser' }).click();
    await page.waitForSelector('.verify-status.ok, .verify-status.failed');
    expect(await page.locator('.verify-status').textContent()).toContain('FAILED');
    expect(await page.locator('.steps li.failed').textContent()).toBe(
      '✗ Independent witnesses cosigned the checkpoint — 0 of the required 1; not cosigned by oversight.example/witness',
    );
    await screenshot(page, 'verify-unwitnessed-en');
  });
});
