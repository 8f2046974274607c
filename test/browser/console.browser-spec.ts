/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { exampleAssessment } from '../../apps/registry/src/declarations/assessments/example-assessments.js';
import { exampleDeclaration } from '../../apps/registry/src/declarations/schema/example-declaration.js';
import { exampleNlRecord } from '../../apps/registry/src/public/example-nl-record.js';
import { LANGUAGES } from '../../apps/registry/src/public/portal/i18n.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { accessibilityViolations, launchChromium, screenshot } from '../support/browser.js';
import { waitForTreeSize } from '../support/log.js';

const NAME = 'Asistente de calificación de atestados';

/** A declaration's content with every list cut to its first item: the form shows one new row at a time. */
function firstItems(value: unknown): unknown {
  if (Array.isArray(value)) return value.length && typeof value[0] === 'object' ? [firstItems(value[0])] : value;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, firstItems(v)]));
  return value;
}

/** Types a content object into a schema-generated console form, field by field, as a clerk would. */
async function fill(page: Page, value: unknown, name = 'f'): Promise<void> {
  if (Array.isArray(value)) {
    if (value.length && typeof value[0] === 'object') {
      for (const [i, item] of value.entries()) await fill(page, item, `${name}.${i}`);
      return;
    }
    const boxes = page.locator(`input[type=checkbox][name="${name}"]`);
    if ((await boxes.count()) > 0) {
      for (const item of value) await page.locator(`input[type=checkbox][name="${name}"][value="${String(item)}"]`).check();
    } else if (typeof value[0] === 'number') {
      for (const [i, item] of value.entries()) await page.locator(`[name="${name}.${i}"]`).fill(String(item));
    } else {
      await page.locator(`[name="${name}"]`).fill(value.map(String).join('\n'));
    }
    return;
  }
  if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) await fill(page, child, `${name}.${key}`);
    return;
  }
  const field = page.locator(`[name="${name}"]`);
  if ((await field.evaluate((el) => el.tagName)) === 'SELECT') await field.selectOption(String(value));
  else await field.fill(String(value));
}

async function expectAccessible(page: Page): Promise<void> {
  expect(await accessibilityViolations(page)).toEqual([]);
}

// The console as its users work in it, in real headless Chromium, on a fresh registry.
describe('the console in a browser', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let agencyId: string;
  let toolId: string;

  beforeAll(async () => {
    t = await startTestApp();
    agencyId = await t.createAgency('Fiscalía de Prueba', 'ES', 'prosecution');
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function signIn(person: string, roles: string[], agency?: string, javaScriptEnabled = true): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, locale: 'en-GB', javaScriptEnabled });
    const page = await context.newPage();
    await page.goto(`${base}/console/en`);
    // Not signed in: the sign-in page, with the development sign-in clearly marked.
    await page.waitForURL(/\/console\/en\/sign-in/);
    await expect(page.getByRole('heading', { name: 'Development sign-in' }).isVisible()).resolves.toBe(true);
    await page.getByLabel('Person id').fill(person);
    for (const role of roles) await page.getByLabel(role, { exact: true }).check();
    if (agency) await page.getByLabel('Agency', { exact: true }).selectOption(agency);
    await page.getByRole('button', { name: 'Sign in for development' }).click();
    await page.waitForURL(`${base}/console/en`);
    return { context, page };
  }

  it('an editor declares a high-risk tool through the form, is told the FRIA is missing, adds it and submits', async () => {
    const { context, page } = await signIn('ana', ['Agency editor', 'Agency approver'], agencyId);
    await expectAccessible(page);
    await screenshot(page, 'console-home-en');

    await page.getByRole('link', { name: 'Declare a tool' }).first().click();
    await page.waitForURL(/\/tools\/new$/);
    // Each field shows who will see it.
    const nameField = page.locator('label[for="f-identity-name"]');
    await expect(nameField.locator('.badge').textContent()).resolves.toBe('Public');
    await expectAccessible(page);

    // A first save with a wrong value: told beside the field, nothing stored.
    await page.locator('[name="f.identity.name"]').fill(NAME);
    await page.locator('[name="f.transparency.logging.retentionMonths"]').fill('twelve');
    await page.getByRole('button', { name: 'Save the draft' }).click();
    await expect(page.locator('#f-transparency-logging-retentionMonths-error').textContent()).resolves.toContain('Write a whole number.');
    await expect(page.locator('.error-summary a').first().getAttribute('href')).resolves.toBe('#f-transparency-logging-retentionMonths');
    expect(await t.sql('SELECT id FROM tools')).toEqual([]);

    const content = firstItems(exampleDeclaration()) as Record<string, Record<string, unknown>>;
    content.identity.name = NAME;
    content.classification.riskClass = 'high_risk';
    content.classification.annexIIIPoint = '8(a)';
    await fill(page, content);
    await screenshot(page, 'console-declare-en');
    await page.getByRole('button', { name: 'Save the draft' }).click();
    await page.waitForURL(/\/console\/en\/tools\/[0-9a-f-]{36}$/);
    toolId = page.url().split('/').pop()!;
    await expect(page.locator('.flash').textContent()).resolves.toMatch(/^Tool ES-PRO-0001 declared/);

    // What blocks publication, in plain words, with where to mend it.
    const rule = page.locator('ul.rules li');
    await expect(rule.textContent()).resolves.toContain('fria-required: a high-risk tool needs a fundamental rights impact assessment before publication.');
    await expectAccessible(page);
    await screenshot(page, 'console-tool-blocked-en');
    await rule.getByRole('link', { name: 'Add one' }).click();
    await page.waitForURL(/\/assessments\/new\?kind=fria$/);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Record: Fundamental rights impact assessment');
    await expectAccessible(page);
    await fill(page, firstItems(exampleAssessment('fria')));
    await page.getByRole('button', { name: 'Record the assessment' }).click();
    await page.waitForURL(/\/console\/en\/tools\/[0-9a-f-]{36}#assessments$/);
    await expect(page.locator('#assessments + table').textContent()).resolves.toContain('Fundamental rights impact assessment');
    await expect(page.locator('ul.rules').count()).resolves.toBe(0);
    await expect(page.getByText('Nothing: the revision meets every publication rule.').isVisible()).resolves.toBe(true);

    await page.getByRole('button', { name: 'Submit for approval' }).click();
    await expect(page.locator('.flash').textContent()).resolves.toBe('Revision 1 submitted for approval.');

    // The same person, also an approver, is told why they cannot publish, and nothing is published.
    await page.getByRole('link', { name: 'Review', exact: true }).click();
    await expect(page.locator('#own-change').textContent()).resolves.toContain('four-eyes rule');
    await page.getByRole('button', { name: 'Publish this revision' }).click();
    await expect(page.locator('#refusal').textContent()).resolves.toContain('you made its last change');
    expect(await t.sql("SELECT status FROM tool_revisions WHERE tool_id = $1", [toolId])).toEqual([{ status: 'submitted' }]);
    await screenshot(page, 'console-four-eyes-en');
    await context.close();
  });

  it('another approver reviews the difference and publishes; the portal then shows the tool with a green verify panel', async () => {
    const { context, page } = await signIn('bruno', ['Agency approver'], agencyId);
    await page.getByRole('link', { name: 'Review queue' }).first().click();
    await page.getByRole('link', { name: 'ES-PRO-0001' }).click();
    await page.waitForURL(/\/review$/);
    await expect(page.locator('.lead').textContent()).resolves.toContain('first to be published');
    await expect(page.locator('table.diff').textContent()).resolves.toContain(NAME);
    await expectAccessible(page);
    await screenshot(page, 'console-review-en');
    await page.getByRole('button', { name: 'Publish this revision' }).click();
    await expect(page.locator('.flash').textContent()).resolves.toBe('Revision 1 published.');
    await context.close();

    const [{ n }] = await t.sql<{ n: string }>('SELECT count(*) AS n FROM log_queue');
    await waitForTreeSize(t.http, Number(n));
    const portal = await (await browser.newContext({ locale: 'en-GB' })).newPage();
    await portal.goto(`${base}/en/tools/${toolId}`);
    await expect(portal.getByRole('heading', { level: 1 }).textContent()).resolves.toContain(NAME);
    await portal.getByRole('button', { name: 'Check in this browser' }).click();
    await portal.waitForSelector('.verify-status.ok, .verify-status.failed');
    await expect(portal.locator('.verify-status').textContent()).resolves.toBe('Verified: this content is in the signed log.');
    await portal.context().close();
  });

  it('oversight opens a finding, the agency answers, oversight closes it', async () => {
    const oversight = await signIn('olga', ['Oversight body']);
    await oversight.page.goto(`${base}/console/en/tools/${toolId}`);
    // Oversight sees the record's log entries.
    await expect(oversight.page.locator('#log + table').textContent()).resolves.toContain('tool.publish');
    await oversight.page.getByRole('link', { name: 'Open a finding' }).click();
    await oversight.page.getByLabel('Severity').selectOption('high');
    await oversight.page.getByLabel('Title').fill('Retention period not justified');
    await oversight.page.getByLabel('What the oversight body found').fill('Explain why logs are kept for this period.');
    await oversight.page.getByRole('button', { name: 'Open the finding' }).click();
    await oversight.page.waitForURL(/\/console\/en\/findings\/[0-9a-f-]{36}$/);
    const findingUrl = oversight.page.url();
    await expectAccessible(oversight.page);

    const agency = await signIn('ana', ['Agency editor'], agencyId);
    await agency.page.goto(findingUrl);
    await agency.page.getByLabel("Your agency's answer").fill('Twelve months match the appeal period.');
    await agency.page.getByRole('button', { name: 'Send the answer' }).click();
    await expect(agency.page.locator('.flash').textContent()).resolves.toBe('Answer sent.');
    await expect(agency.page.getByRole('button', { name: 'Close the finding' }).count()).resolves.toBe(0);
    await agency.context.close();

    await oversight.page.goto(findingUrl);
    await oversight.page.getByLabel('Closing note (optional)').fill('Accepted.');
    await oversight.page.getByRole('button', { name: 'Close the finding' }).click();
    await expect(oversight.page.locator('ol.thread .post').allTextContents()).resolves.toEqual([
      expect.stringContaining('Explain why logs are kept'),
      expect.stringContaining('Twelve months match the appeal period.'),
      expect.stringContaining('Accepted.'),
    ]);
    await screenshot(oversight.page, 'console-finding-en');
    expect(await t.sql('SELECT status FROM findings')).toEqual([{ status: 'closed' }]);
    await oversight.context.close();
  });

  it("shows oversight every agency's tools with who sees each field, the alerts and the log's state", async () => {
    const { context, page } = await signIn('olga', ['Oversight body']);
    await page.getByRole('link', { name: 'Tools', exact: true }).first().click();
    await expect(page.locator('table.tools tbody tr').first().textContent()).resolves.toContain('Fiscalía de Prueba');
    await page.getByRole('link', { name: 'ES-PRO-0001' }).click();
    const declaration = page.locator('#declaration + p + div');
    await expect(declaration.locator('.read-field', { hasText: 'Name' }).first().locator('.badge').first().textContent()).resolves.toBe('Public');
    await expect(declaration.locator('.badge.visibility-oversight').count()).resolves.toBeGreaterThan(0);
    await expectAccessible(page);
    await screenshot(page, 'console-tool-oversight-en');

    await page.getByRole('link', { name: 'Alerts' }).first().click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Alerts');
    await expectAccessible(page);
    await screenshot(page, 'console-alerts-en');
    await page.getByRole('link', { name: 'Audit log' }).first().click();
    const [{ n }] = await t.sql<{ n: string }>('SELECT max(tree_size) AS n FROM log_checkpoints');
    await expect(page.locator('dl.facts dd').first().textContent()).resolves.toBe(String(n));
    await expectAccessible(page);
    await context.close();
  });

  it('lets an administrator register an agency and rename it, each change logged', async () => {
    const { context, page } = await signIn('adam', ['Administrator']);
    await page.getByRole('link', { name: 'Agencies' }).first().click();
    await page.getByRole('button', { name: 'Register the agency' }).click();
    // Nothing filled in: every field named, nothing registered.
    await expect(page.locator('.error-summary li').allTextContents()).resolves.toEqual([expect.stringMatching(/^Name/), expect.stringMatching(/^Country/), expect.stringMatching(/^Kind/)]);
    const register = page.locator('section[aria-labelledby="new-agency"]');
    await register.getByLabel('Name').fill('Ministerio de Justicia');
    await register.getByLabel('Country').fill('cl');
    await register.getByLabel('Kind').selectOption('ministry');
    await page.getByRole('button', { name: 'Register the agency' }).click();
    await expect(page.locator('.flash').textContent()).resolves.toBe('Agency Ministerio de Justicia registered.');
    await expectAccessible(page);
    await page.getByRole('link', { name: 'Edit Ministerio de Justicia' }).click();
    await page.getByLabel('Name').fill('Ministerio de Justicia y Derechos Humanos');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.locator('table tbody').textContent()).resolves.toContain('Ministerio de Justicia y Derechos Humanos');
    const actions = await t.sql<{ entry: Buffer }>("SELECT entry FROM log_queue WHERE subject_type = 'agency' ORDER BY id DESC LIMIT 2");
    expect(actions.map((row) => JSON.parse(row.entry.toString('utf8')).action)).toEqual(['agency.update', 'agency.create']);
    await context.close();
  });

  it("keeps the tool's other records: an authorisation hashed in the browser, an incident, a bias table from CSV, a public report answered, a redaction", async () => {
    const { context, page } = await signIn('ana', ['Agency editor'], agencyId);
    await page.goto(`${base}/console/en/tools/${toolId}`);

    // An authorisation: the decision document's SHA-256 computed in this browser, the file never sent.
    await page.getByRole('link', { name: 'Record an authorisation' }).click();
    await page.locator('[name="f.authorityType"]').selectOption('judicial');
    await page.locator('[name="f.authority"]').fill('Juzgado de Instrucción n.º 3');
    await page.locator('[name="f.requestedOn"]').fill('2026-01-05');
    await page.locator('[name="f.outcome"]').selectOption('granted');
    await page.locator('[name="f.decidedOn"]').fill('2026-01-09');
    await page.locator('[name="f.validFrom"]').fill('2026-01-10');
    await page.locator('[name="f.validUntil"]').fill('2027-01-09');
    const decision = Buffer.from('Auto de 5 de enero de 2026');
    await page.getByLabel('Or choose the document').setInputFiles({ name: 'auto.pdf', mimeType: 'application/pdf', buffer: decision });
    const sha256 = createHash('sha256').update(decision).digest('hex');
    await page.waitForFunction((hex) => (document.querySelector('[name="f.decisionDocumentSha256"]') as HTMLInputElement).value === hex, sha256);
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Record the authorisation' }).click();
    await expect(page.locator('.flash').textContent()).resolves.toBe('Authorisation recorded.');
    await expect(page.locator('#authorisations + table').textContent()).resolves.toContain(sha256);
    await page.getByPlaceholder('Reason for revoking').fill('Recorded by mistake.');
    await page.locator('#authorisations + table').getByRole('button', { name: 'Revoke' }).click();
    await expect(page.locator('#authorisations + table').textContent()).resolves.toContain('Recorded by mistake.');

    // A serious incident, then its second version.
    await page.getByRole('link', { name: 'Record an incident' }).click();
    await page.locator('[name="f.kind"]').selectOption('fundamental_rights');
    await page.locator('[name="f.foundOn"]').fill('2026-11-02');
    await page.locator('[name="f.summary"]').fill('A witness statement was transcribed with the wrong speaker.');
    await page.locator('[name="f.status"]').selectOption('open');
    await page.getByRole('button', { name: 'Record the incident' }).click();
    await expect(page.locator('.flash').textContent()).resolves.toBe('Incident recorded.');
    await page.locator('[name="f.status"]').selectOption('closed');
    await page.getByRole('button', { name: 'Save the new version' }).click();
    await expect(page.locator('#versions').textContent()).resolves.toBe('2 versions');
    await expectAccessible(page);

    // A bias evaluation: the per-group figures read from a CSV file into the table, another row added by hand.
    await page.goto(`${base}/console/en/tools/${toolId}/assessments/new?kind=bias`);
    const bias = exampleAssessment('bias') as Record<string, unknown>;
    await fill(page, { evaluatedOn: bias.evaluatedOn, dataset: bias.dataset, sensitiveAttributes: bias.sensitiveAttributes, referenceGroup: bias.referenceGroup, disparities: bias.disparities });
    await page.locator('details.csv summary').first().click();
    await page.getByLabel('Or choose a CSV file').setInputFiles({ name: 'groups.csv', mimeType: 'text/csv', buffer: Buffer.from('group,n,selectionRate,fpr,fprCI.low,fprCI.high\nwomen,8000,0.31,0.12,0.11,0.13\nmen,4000,0.29,0.1,,\n') });
    await page.getByRole('button', { name: 'Read the CSV into the table' }).click();
    await expect(page.locator('[name="f.groups.1.group"]').inputValue()).resolves.toBe('men');
    await page.locator('table.edit').locator('..').locator('..').getByRole('button', { name: 'Add another' }).click();
    await page.locator('[name="f.groups.3.group"]').fill('women 18–25');
    await page.locator('[name="f.groups.3.n"]').fill('900');
    await expectAccessible(page);
    await screenshot(page, 'console-bias-table-en');
    await page.getByRole('button', { name: 'Record the assessment' }).click();
    await expect(page.locator('.flash').textContent()).resolves.toBe('Bias and fairness evaluation recorded.');
    const [stored] = await t.sql<{ content: { groups: unknown[] } }>("SELECT content FROM assessments WHERE kind = 'bias'");
    expect(stored.content.groups).toEqual([
      { group: 'women', n: 8000, selectionRate: 0.31, fpr: 0.12, fprCI: [0.11, 0.13] },
      { group: 'men', n: 4000, selectionRate: 0.29, fpr: 0.1 },
      { group: 'women 18–25', n: 900 },
    ]);

    // A report from the public, answered.
    await t.http.post(`/api/v1/public/tools/${toolId}/reports`).send({ text: 'The link to the procedural code does not open.' }).expect(201);
    await page.reload(); // still the tool's page: load it again to see the new report
    await page.getByLabel('Answer or reason for dismissing (public)').fill('The link is corrected in the next revision.');
    await page.getByRole('button', { name: 'Answer', exact: true }).click();
    await expect(page.locator('.flash').textContent()).resolves.toBe('Report answered.');

    // A redaction of a restricted field, with its reason.
    await page.getByRole('link', { name: 'Withhold restricted fields' }).click();
    const row = page.locator('fieldset.redaction', { hasText: 'identity.version' });
    await row.getByLabel('Withhold from the public').check();
    await row.getByLabel('Reason', { exact: true }).selectOption('public_security');
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Save the redactions' }).click();
    // No reason in words: told on that field's row, nothing saved.
    await expect(row.locator('.error').textContent()).resolves.toBe('This is required.');
    await expect(row.getByLabel('The reason in words (public)').getAttribute('aria-invalid')).resolves.toBe('true');
    await row.getByLabel('The reason in words (public)').fill('The version reveals which attacks it resists.');
    await page.getByRole('button', { name: 'Save the redactions' }).click();
    await expect(page.locator('.flash').textContent()).resolves.toContain('1 field will be withheld');
    await expect(page.locator('#redactions + ul').textContent()).resolves.toContain('The version reveals which attacks it resists.');
    await context.close();
  });

  it("imports a record of the Dutch register as a draft, listing back the fields it could not place", async () => {
    const { context, page } = await signIn('ana', ['Agency editor'], agencyId);
    await page.goto(`${base}/console/en/tools`);
    await page.getByRole('link', { name: 'Import from the Dutch Algoritmeregister' }).click();
    await page.getByLabel('The record (JSON)').fill('{"name": ');
    await page.getByRole('button', { name: 'Import as a new draft' }).click();
    await expect(page.locator('.error-summary').textContent()).resolves.toContain('This is not JSON');
    await page.getByLabel('The record (JSON)').fill(JSON.stringify(exampleNlRecord(), null, 2));
    await page.getByRole('button', { name: 'Import as a new draft' }).click();
    await expect(page.locator('.flash').textContent()).resolves.toMatch(/^Draft ES-PRO-\d{4} created from the record\./);
    await expect(page.locator('#unmapped').textContent()).resolves.toBe('10 fields have no place in the declaration');
    await expect(page.locator('#unmapped + p + table tbody tr').count()).resolves.toBe(10);
    await expectAccessible(page);
    await screenshot(page, 'console-import-nl-en');
    await page.getByRole('link', { name: 'Open the draft' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('Prioritering van meldingen van woninginbraak');
    await context.close();
  });

  it('speaks the four languages, the language switch keeping the page', async () => {
    const { context, page } = await signIn('ana', ['Agency editor'], agencyId);
    const headings: string[] = [];
    for (const lang of LANGUAGES) {
      await page.goto(`${base}/console/${lang}/tools/${toolId}`);
      expect(await page.getAttribute('html', 'lang')).toBe(lang);
      headings.push(String(await page.locator('#declaration').textContent()));
      await expectAccessible(page);
    }
    // Each language its own words (the declaration itself stays in its own language), the fields' help too.
    expect(new Set(headings).size).toBe(LANGUAGES.length);
    const helps: string[] = [];
    for (const lang of LANGUAGES) {
      await page.goto(`${base}/console/${lang}/tools/new`);
      helps.push(String(await page.locator('#f-identity-intendedPurpose-help').textContent()));
    }
    expect(new Set(helps).size).toBe(LANGUAGES.length);
    await page.goto(`${base}/console/es/tools/${toolId}`);
    await page.getByRole('link', { name: 'English' }).click();
    expect(new URL(page.url()).pathname).toBe(`/console/en/tools/${toolId}`);
    await page.goto(`${base}/console/es/tools/new`);
    await screenshot(page, 'console-declare-es');
    await context.close();
  });

  it('records a gender impact assessment with its OECD marker chosen in words', async () => {
    const { context, page } = await signIn('ana', ['Agency editor'], agencyId);
    await page.goto(`${base}/console/en/tools/${toolId}/assessments/new?kind=gender_impact`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Record: Gender impact assessment');
    const marker = page.getByLabel('OECD gender equality marker');
    await expect(marker.locator('option').allTextContents()).resolves.toEqual(expect.arrayContaining([
      '0 – Not targeted (gender equality is not an objective)',
      '1 – Significant (gender equality is an important objective)',
      '2 – Principal (gender equality is the main objective)',
    ]));
    const gender = exampleAssessment('gender_impact') as Record<string, unknown>;
    await fill(page, gender);
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Record the assessment' }).click();
    await expect(page.locator('.flash').textContent()).resolves.toBe('Gender impact assessment recorded.');
    const [stored] = await t.sql<{ content: Record<string, unknown> }>("SELECT content FROM assessments WHERE kind = 'gender_impact' AND tool_id = $1", [toolId]);
    expect(stored.content).toEqual(gender);
    await context.close();
  });

  // axe-core on every kind of page each role reaches, as each first sees it and with its errors.
  it('passes WCAG 2.1 AA (axe-core) on every console page, forms with their errors shown', async () => {
    const checked: string[] = [];
    const check = async (page: Page, what: string) => {
      const violations = await accessibilityViolations(page);
      expect({ what, url: page.url(), violations }).toEqual({ what, url: page.url(), violations: [] });
      checked.push(what);
      if (['reports list', 'incidents list', 'tool with a refused revocation', 'agencies'].includes(what)) await screenshot(page, `console-${what.replace(/ /g, '-')}-en`);
    };
    // Signed out: the sign-in page.
    const anonymous = await browser.newContext({ locale: 'en-GB' });
    const signInPage = await anonymous.newPage();
    await signInPage.goto(`${base}/console/en/sign-in`);
    await check(signInPage, 'sign-in');
    await anonymous.close();

    const editor = await signIn('ana', ['Agency editor'], agencyId);
    const authorisation = (await t.http.post(`/api/v1/tools/${toolId}/authorisations`).set('Authorization', `Bearer ${await t.token(['agency_editor'], { agencyId, sub: 'ana' })}`).send({ content: {
      authorityType: 'judicial', authority: 'Juzgado de lo Penal n.º 1', requestedOn: '2026-03-01', decidedOn: '2026-03-02', outcome: 'granted', validFrom: '2026-03-03', validUntil: '2099-03-02',
    } }).expect(201)).body.id as string;
    for (const [what, path] of [
      ['home', ''], ['tools list', '/tools'], ['tools filtered', '/tools?status=published&q=atestados'], ['tool', `/tools/${toolId}`],
      ['draft form', `/tools/${toolId}/edit`], ['new tool form', '/tools/new'], ['redactions', `/tools/${toolId}/redactions`],
      ['authorisation form', `/tools/${toolId}/authorisations/new`], ['incident form', `/tools/${toolId}/incidents/new`],
      ['findings list', '/findings'], ['reports list', '/reports'], ['incidents list', '/incidents'], ['import', '/tools/import'], ['not found', `/tools/00000000-0000-4000-8000-000000000000`],
      ...(['fria', 'bias', 'gender_impact', 'huderia', 'dpia'] as const).map((kind) => [`${kind} form`, `/tools/${toolId}/assessments/new?kind=${kind}`]),
    ] as Array<[string, string]>) {
      await editor.page.goto(`${base}/console/en${path}`);
      await check(editor.page, what);
    }
    // Forms sent with errors: the summary and each field's message.
    await editor.page.goto(`${base}/console/en/tools/new`);
    await editor.page.locator('[name="f.legalBasis.0.url"]').fill('not a link');
    await editor.page.getByRole('button', { name: 'Save the draft' }).click();
    await expect(editor.page.locator('.error-summary').count()).resolves.toBe(1);
    await check(editor.page, 'declaration form with errors');
    await editor.page.goto(`${base}/console/en/tools/${toolId}/assessments/new?kind=fria`);
    await editor.page.getByRole('button', { name: 'Record the assessment' }).click();
    await expect(editor.page.locator('.error-summary').count()).resolves.toBe(1);
    await check(editor.page, 'assessment form with errors');
    await editor.page.goto(`${base}/console/en/tools/${toolId}/authorisations/new`);
    await editor.page.getByRole('button', { name: 'Record the authorisation' }).click();
    await check(editor.page, 'authorisation form with errors');
    await editor.page.goto(`${base}/console/en/tools/import`);
    await editor.page.getByLabel('The record (JSON)').fill('{ not json');
    await editor.page.getByRole('button', { name: 'Import as a new draft' }).click();
    await check(editor.page, 'import refused');
    // A revocation sent without its reason (as a browser without the field's own check would).
    await editor.page.goto(`${base}/console/en/tools/${toolId}`);
    await editor.page.locator(`#revoke-${authorisation}`).evaluate((input) => input.removeAttribute('required'));
    await editor.page.locator(`form[action$="/authorisations/${authorisation}/revoke"]`).getByRole('button', { name: 'Revoke' }).click();
    await expect(editor.page.locator(`#revoke-${authorisation}-error`).textContent()).resolves.toMatch(/^Not done:/);
    await check(editor.page, 'tool with a refused revocation');
    await editor.context.close();

    const approver = await signIn('pablo', ['Agency approver'], agencyId);
    await approver.page.goto(`${base}/console/en/tools?status=submitted`);
    await check(approver.page, 'review queue');
    await approver.context.close();

    const oversight = await signIn('olga', ['Oversight body']);
    for (const [what, path] of [['oversight tool', `/tools/${toolId}`], ['alerts', '/alerts'], ['audit log', '/log'], ['new finding', `/tools/${toolId}/findings/new`]] as Array<[string, string]>) {
      await oversight.page.goto(`${base}/console/en${path}`);
      await check(oversight.page, what);
    }
    await oversight.page.getByRole('button', { name: 'Open the finding' }).click();
    await check(oversight.page, 'new finding with errors');
    await oversight.context.close();

    const admin = await signIn('adam', ['Administrator']);
    await admin.page.goto(`${base}/console/en/agencies`);
    await check(admin.page, 'agencies');
    await admin.page.getByRole('button', { name: 'Register the agency' }).click();
    await check(admin.page, 'agency form with errors');
    await admin.page.goto(`${base}/console/en/agencies/${agencyId}/edit`);
    await check(admin.page, 'agency edit');
    await admin.context.close();
    expect(checked.length).toBeGreaterThan(30);
  });

  it('works without JavaScript: signing in, the declaration form and its errors', async () => {
    const { context, page } = await signIn('nora', ['Agency editor'], agencyId, false);
    await page.goto(`${base}/console/en/tools/new`);
    await page.locator('[name="f.identity.name"]').fill('Sin JavaScript');
    await page.locator('[name="f.legalBasis.0.url"]').fill('not a link');
    await page.getByRole('button', { name: 'Save the draft' }).click();
    await expect(page.locator('.error-summary').textContent()).resolves.toContain('Link to the text');
    await page.locator('[name="f.legalBasis.0.url"]').fill('https://www.boe.es/');
    await page.getByRole('button', { name: 'Save the draft' }).click();
    await expect(page.locator('.flash').textContent()).resolves.toMatch(/declared: revision 1 is a draft/);
    await expect(page.locator('ul.missing li').count()).resolves.toBeGreaterThan(5);
    await context.close();
  });
});
