import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { exampleAssessment } from '../apps/registry/src/declarations/assessments/example-assessments.js';
import { exampleDeclaration } from '../apps/registry/src/declarations/schema/example-declaration.js';
import { bearer, startTestApp, type TestApp } from './support/app.js';
import { waitForTreeSize } from './support/log.js';
import { recordResult } from './support/reliability.js';

const run = promisify(execFile);

// The portal's pages over HTTP, as a browser without JavaScript or a crawler gets them.
describe('the portal pages', () => {
  let t: TestApp;
  let editor: string;
  let approver: string;
  let agencyId: string;
  const as = bearer;

  function declaration(name: string) {
    const content = exampleDeclaration() as Record<string, Record<string, unknown>>;
    content.identity.name = name;
    return content;
  }

  async function publish(name: string, content = declaration(name)) {
    const res = await t.http.post('/api/v1/tools').set(as(editor)).send({ content }).expect(201);
    const id = res.body.id as string;
    await submitAndPublish(id, res.headers.etag);
    return id;
  }

  async function submitAndPublish(id: string, etag: string) {
    const res = await t.http.post(`/api/v1/tools/${id}/submit`).set(as(editor)).set('If-Match', etag).expect(200);
    return (await t.http.post(`/api/v1/tools/${id}/publish`).set(as(approver)).set('If-Match', res.headers.etag).expect(200)).headers.etag as string;
  }

  /** Publishes a new revision of a published tool with these redactions and this content. */
  async function revise(id: string, etag: string, redactions: unknown[], content: Record<string, unknown>) {
    let res = await t.http.put(`/api/v1/tools/${id}/redactions`).set(as(editor)).set('If-Match', etag).send({ redactions }).expect(200);
    res = await t.http.put(`/api/v1/tools/${id}/draft`).set(as(editor)).set('If-Match', res.headers.etag).send({ content }).expect(200);
    return submitAndPublish(id, res.headers.etag);
  }

  beforeAll(async () => {
    t = await startTestApp();
    agencyId = await t.createAgency('Ministério <b>Público</b> & Co', 'BR', 'prosecution');
    editor = await t.token(['agency_editor'], { agencyId, sub: 'editor' });
    approver = await t.token(['agency_approver'], { agencyId, sub: 'approver' });
  });
  afterAll(() => t.close());

  it.each([
    ['pt-BR,pt;q=0.9,en;q=0.8', '/pt'],
    ['fr-CA', '/fr'],
    ['de-DE,es;q=0.5', '/es'],
    ['de-DE', '/en'],
    ['', '/en'],
  ])('sends Accept-Language %j to %s', async (header, location) => {
    const res = await t.http.get('/').set('Accept-Language', header).expect(302);
    expect(res.headers.location).toBe(location);
    expect(res.headers.vary).toContain('Accept-Language');
  });

  it('serves each page in its language, cacheable, with the language switch to the same page', async () => {
    for (const lang of ['en', 'es', 'pt', 'fr']) {
      const res = await t.http.get(`/${lang}/tools?riskClass=high_risk`).expect(200);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.headers['cache-control']).toContain('public');
      expect(res.text).toContain(`<html lang="${lang}">`);
      for (const other of ['en', 'es', 'pt', 'fr']) expect(res.text).toContain(`href="/${other}/tools?riskClass=high_risk"`);
    }
    expect((await t.http.get('/es/verify').expect(200)).text).toContain('Cómo verificar el registro de auditoría');
  });

  it('escapes whatever an agency wrote: stored markup is shown as text, never run', async () => {
    const id = await publish('<script>alert("x")</script><img src=x onerror=alert(1)>');
    for (const path of [`/en/tools/${id}`, `/en/tools/${id}/history`, `/en/agencies/${agencyId}`, '/en/tools', '/en']) {
      const html = (await t.http.get(path).expect(200)).text;
      expect([path, html.includes('<script>alert'), html.includes('<img src=x')]).toEqual([path, false, false]);
      expect([path, html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;') || html.includes('Ministério &lt;b&gt;Público&lt;/b&gt; &amp; Co')]).toEqual([path, true]);
    }
    recordResult({ area: 'hostile bodies', tried: 'stored markup (script, img onerror, tags in an agency name) shown through the portal pages', cases: 5, held: 'escaped as text on every page; nothing runs' });
  });

  it("names a legal basis's country or the EU in the reader's language, and keeps an international body's name as written", async () => {
    const content = declaration('Legal basis in words');
    (content as Record<string, unknown>).legalBasis = [
      { jurisdiction: 'PT', instrument: 'Código de Processo Penal', article: 'Art. 187' },
      { jurisdiction: 'EU', instrument: 'Regulation (EU) 2024/1689', article: 'Art. 26' },
      { jurisdiction: 'Council of Europe', instrument: 'Convention 108+' },
    ];
    const id = await publish('Legal basis in words', content);
    const en = textOf((await t.http.get(`/en/tools/${id}`).expect(200)).text);
    expect(en).toContain('Portugal (PT)');
    expect(en).toContain('European Union (EU)');
    expect(en).toContain('Council of Europe');
    const fr = textOf((await t.http.get(`/fr/tools/${id}`).expect(200)).text);
    expect(fr).toContain('Union européenne (EU)');
  });

  it('lists the most recently published tools first on the home page', async () => {
    await publish('Older tool');
    await publish('Newest tool');
    const html = (await t.http.get('/en').expect(200)).text;
    expect(html.indexOf('Newest tool')).toBeGreaterThan(0);
    expect(html.indexOf('Newest tool')).toBeLessThan(html.indexOf('Older tool'));
  });

  it('reports an invalid filter beside its control and applies the others', async () => {
    const html = (await t.http.get('/en/tools?riskClass=dangerous&country=BR').expect(200)).text;
    expect(html).toContain('Some filters could not be used');
    expect(html).toMatch(/<select id="f-riskClass" name="riskClass" aria-invalid="true"/);
    expect(html).toMatch(/<h2 id="results-title" role="status">\d+ tools?<\/h2>/);
  });

  it("explains a bias evaluation: each figure's unit, why a result is undetermined, the mitigations, the rates by group", async () => {
    const id = await publish('Bias explained');
    const bias = {
      ...exampleAssessment('bias'),
      groups: [
        { group: 'men', n: 4000, fpr: 0.1, fprCI: [0.09, 0.11] },
        { group: 'women', n: 8000, fpr: 0.141, fprCI: [0.13, 0.15] },
        { group: 'women over 60', n: 140, fpr: 0.114 },
      ],
      minimumGroupSize: 300,
      disparities: [
        { group: 'women', metric: 'fpr', value: 1.41, tolerance: 1.25, status: 'fail' },
        { group: 'women over 60', metric: 'fpr', value: 1.14, tolerance: 1.25, status: 'undetermined' },
      ],
      mitigations: ['Threshold recalibrated for women.'],
    };
    await t.http.post(`/api/v1/tools/${id}/assessments`).set(as(editor)).send({ kind: 'bias', content: bias }).expect(201);
    const page = async () => textOf((await t.http.get(`/en/tools/${id}`).expect(200)).text);
    let text = await page();
    expect(text).toContain("women False positive rate 1.41 × the reference group's rate 1.25 Exceeds tolerance");
    expect(text).toMatch(/Cannot be determined ?Only 140 cases: the method judges groups of at least 300\./);
    expect(text).toContain("Each disparity is the group's rate divided by the reference group's");
    expect(text).toContain('Mitigations declared for the disparities that exceed the tolerance Threshold recalibrated for women.');
    expect(text).toContain('False positive rate by group Bars run from 0 to 20%');
    expect(text).toContain('men (reference group) 10% (95% confidence interval: 9%–11%)');

    // A newer evaluation, recorded after publication, that gives an interval and no mitigation.
    bias.disparities[1] = { ...bias.disparities[1], interval: [0.79, 1.63] } as never;
    await t.http.post(`/api/v1/tools/${id}/assessments`).set(as(editor)).send({ kind: 'bias', content: { ...bias, mitigations: undefined } }).expect(201);
    text = await page();
    expect(text).toContain('Its 95% confidence interval (0.79–1.63) spans the tolerance of 1.25');
    expect(text).toContain('The agency has declared no mitigation for the disparities that exceed the tolerance.');
    const es = textOf((await t.http.get(`/es/tools/${id}`).expect(200)).text);
    expect(es).toContain('1,41 × la tasa del grupo de referencia');
  });

  it('marks a granted authorisation that ends within 30 days, counting the days', async () => {
    const id = await publish('Authorisations ending');
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    for (const until of [day(0), day(20), day(45)]) {
      await t.http.post(`/api/v1/tools/${id}/authorisations`).set(as(editor)).send({ content: grantedUntil(day(-10), until) }).expect(201);
    }
    const rows = tableRows((await t.http.get(`/en/tools/${id}`).expect(200)).text, 'authorisations');
    expect(rows.slice(1).map((cells) => cells[2])).toEqual(['Granted Ends today', 'Granted Ends in 20 days', 'Granted']);
    expect(textOf((await t.http.get(`/pt/tools/${id}`).expect(200)).text)).toContain('Termina em 20 dias');
  });

  it('has a statistics page with every count of the public statistics, and says on the home page why tools are missing', async () => {
    const stats = (await t.http.get('/api/v1/public/stats').expect(200)).body;
    const html = (await t.http.get('/en/statistics').expect(200)).text;
    const total = stats.tools.public + stats.tools.nonPublic;
    for (const caption of ['Tools by country', 'Tools by kind of agency', 'Tools by risk class', 'Tools by stage']) {
      const rows = tableRows(html, caption);
      expect([caption, rows[rows.length - 1]]).toEqual([caption, ['Total', String(stats.tools.public), String(stats.tools.nonPublic), String(total)]]);
    }
    expect(tableRows(html, 'Tools by kind of agency')).toContainEqual(['Prosecution service', ...countsOf(stats.byAgencyKind, 'prosecution')]);
    expect(textOf(html)).toContain('Why some declared tools are not listed');
    for (const lang of ['es', 'pt', 'fr']) await t.http.get(`/${lang}/statistics`).expect(200);
    const home = textOf((await t.http.get('/en').expect(200)).text);
    expect(home).toContain(`${stats.tools.nonPublic} published tools are declared non-public as a whole`);
    expect((await t.http.get('/en').expect(200)).text).toContain('<a href="/en/statistics">');
  });

  it('answers an unknown tool or agency with a 404 page in the language asked', async () => {
    for (const path of ['/fr/tools/00000000-0000-0000-0000-000000000000', '/fr/tools/not-an-id', '/fr/agencies/00000000-0000-0000-0000-000000000000', '/fr/tools/not-an-id/history']) {
      const res = await t.http.get(path).expect(404);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.text).toContain('Page introuvable');
    }
  });

  it('shows a field withheld in a later revision as withheld, with its reason, in every language', async () => {
    const content = declaration('Análisis de antecedentes');
    content.transparency.trainingData = { origin: 'Expedientes cerrados de 2019 a 2023.', period: '2019–2023' };
    const id = await publish(content.identity.name as string, content);
    const etag = (await t.http.get(`/api/v1/tools/${id}`).set(as(editor)).expect(200)).headers.etag;
    const redaction = { field: 'transparency.trainingData', reasonCode: 'investigation_integrity', reason: 'Revelar las fuentes permitiría eludir el análisis.' };
    await revise(id, etag, [redaction], content);
    // What revision 1 said of the group, part by part, punctuated as each language writes it
    // (French: a no-break space before the colon, a narrow one before the semicolon).
    const origin = 'Expedientes cerrados de 2019 a 2023.';
    const expected = {
      en: ['Training data (withheld)', 'Withheld: Integrity of criminal investigations.', `Where the data comes from: ${origin}; Period covered: 2019–2023`],
      es: ['Datos de entrenamiento (reservado)', 'Información reservada: Integridad de las investigaciones penales.', `Origen de los datos: ${origin}; Período que abarca: 2019–2023`],
      pt: ['Dados de treino (não publicado)', 'Informação não publicada: Integridade das investigações criminais.', `Origem dos dados: ${origin}; Período abrangido: 2019–2023`],
      fr: ["Données d'entraînement (non publié)", 'Information non publiée\u00a0: Intégrité des enquêtes pénales.', `Origine des données\u00a0: ${origin}\u202f; Période couverte\u00a0: 2019–2023`],
    };
    for (const [lang, [field, notice, before]] of Object.entries(expected)) {
      const html = (await t.http.get(`/${lang}/tools/${id}/history?from=1&to=2`).expect(200)).text;
      // One line for the withheld field: what revision 1 said of it, then the notice and its reason.
      expect([lang, diffRows(html)]).toEqual([lang, [[expect.stringContaining(field), textOf(before), `${textOf(notice)} ${redaction.reason}`]]]);
      // (textOf folds every space into one; the page itself keeps the language's own.)
      const label = notice.slice(0, notice.indexOf(':') + 1);
      expect([lang, html.includes(before), html.includes(label)]).toEqual([lang, true, true]);
    }
  });

  it('answers a page past the last with a 404 linking to the last page, and a page that is no number with a 400', async () => {
    const past = await t.http.get('/en/tools?country=BR&page=99').expect(404);
    expect(past.headers['content-type']).toContain('text/html');
    expect(textOf(past.text)).toContain('There is no page 99 of these results: they fit on 1 page.');
    expect(past.text).toContain('<a href="?country=BR&amp;page=1">Go to the last page (page 1)</a>');
    for (const page of ['abc', '0', '-1', '1.5']) {
      const bad = await t.http.get(`/es/tools?page=${page}`).expect(400);
      expect(textOf(bad.text)).toContain(`«${page}» no es un número de página: las páginas se numeran desde 1.`);
    }
    await t.http.get('/en/tools?country=BR&page=1').expect(200);
  });

  it('answers a comparison of revisions that do not exist, or in the wrong order, with a 400 saying which value is wrong', async () => {
    const content = declaration('Comparador de versiones');
    const id = await publish(content.identity.name as string, content);
    const etag = (await t.http.get(`/api/v1/tools/${id}`).set(as(editor)).expect(200)).headers.etag;
    await revise(id, etag, [], { ...content, classification: { ...content.classification, rationale: 'Revisada.' } });
    const problem = async (query: string, lang = 'en') => {
      const res = await t.http.get(`/${lang}/tools/${id}/history?${query}`).expect(400);
      expect(res.text).not.toContain('class="diff"');
      const summary = /<div class="error-summary" role="alert">([\s\S]*?)<\/div>/.exec(res.text)![1];
      return textOf(summary);
    };
    expect(await problem('from=abc&to=2')).toBe('These revisions cannot be compared Older revision: “abc” is not the number of a published revision of this tool. Published revisions: 1, 2.');
    expect(await problem('from=1&to=7')).toContain('Newer revision: “7” is not the number of a published revision of this tool.');
    expect(await problem('from=2&to=1')).toContain('Older revision: revision 2 is newer than revision 1; the older one comes first. Compare revision 1 with revision 2');
    expect(await problem('to=3', 'es')).toBe('No se pueden comparar estas versiones Versión posterior: «3» no es el número de una versión publicada de esta herramienta. Versiones publicadas: 1, 2.');
    expect(await problem('from=x', 'pt')).toContain('Versão anterior: «x» não é o número de uma versão publicada desta ferramenta.');
    expect(await problem('from=0', 'fr')).toContain("Version antérieure : « 0 » n'est pas le numéro d'une version publiée de cet outil.");
    // Good values, or none (the latest two), still compare.
    for (const query of ['from=1&to=2', '']) {
      expect(diffRows((await t.http.get(`/en/tools/${id}/history?${query}`).expect(200)).text)).toEqual([[expect.stringContaining('Reason for this classification (changed)'), 'Assists staff; no decision about persons.', 'Revisada.']]);
    }
  });

  it("gives on a tool page the verifier's whole command, with the log's key pinned, and the command verifies", async () => {
    const id = await publish('Herramienta verificable');
    const [{ n }] = await t.sql<{ n: string }>('SELECT count(*) AS n FROM log_queue');
    await waitForTreeSize(t.http, Number(n));
    await t.app.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    const panel = /<section id="verify"[\s\S]*?<\/section>/.exec(await (await fetch(`${base}/en/tools/${id}`)).text())![0];
    const commands = [...panel.matchAll(/<pre><code>([\s\S]*?)<\/code><\/pre>/g)].flatMap((m) => unescape(m[1]).split('\n'));
    const { verifierKey } = (await t.http.get('/api/v1/log/key').expect(200)).body;
    // No SOURCE_REPOSITORY: where to get the verifier is said in words, not as a placeholder to clone.
    expect(commands).toEqual([
      'npm ci',
      `npm run -s verify -- --url ${base} --key '${verifierKey}' --state custodia-state.json`,
      `curl -s ${base}/api/v1/log/key`,
    ]);
    expect(textOf(panel)).toContain("The verifier is part of Custodia's source code. Get it from a source you trust");
    expect(textOf(panel)).toContain("The option --key pins the log's public key");
    // Run as printed (the built verifier in place of npm run), from a folder of its own for the state file.
    const args = [...commands[1].split(' verify -- ')[1].matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]);
    const dir = mkdtempSync(join(tmpdir(), 'custodia-panel-'));
    try {
      const { stdout } = await run(process.execPath, [join(process.cwd(), 'dist/apps/verifier/main.js'), ...args], { cwd: dir });
      expect(stdout).toContain('signature verified with the key given with --key');
      expect(existsSync(join(dir, 'custodia-state.json'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('serves the stylesheet and the verification script from /assets', async () => {
    const css = await t.http.get('/assets/portal.css').expect(200);
    expect(css.headers['content-type']).toContain('text/css');
    const js = await t.http.get('/assets/verify.js').expect(200);
    expect(js.headers['content-type']).toContain('javascript');
    await t.http.get('/assets/../package.json').expect(404);
  });
});

/** The cells of each line of a page's difference table, as text. */
function diffRows(html: string): string[][] {
  return rowsOf(/<table class="diff">[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '');
}

/** The lines of the first table after the section `id`, or of the table whose caption says `caption`, as text. */
function tableRows(html: string, idOrCaption: string): string[][] {
  const bySection = new RegExp(`id="${idOrCaption}"[\\s\\S]*?<table[^>]*>([\\s\\S]*?)</table>`).exec(html);
  const byCaption = [...html.matchAll(/<table[^>]*>([\s\S]*?)<\/table>/g)].find((m) => textOf(/<caption[^>]*>([\s\S]*?)<\/caption>/.exec(m[1])?.[1] ?? '') === idOrCaption);
  return rowsOf((bySection ?? byCaption)?.[1] ?? '');
}

function rowsOf(html: string): string[][] {
  return [...html.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) => [...row[1].matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => textOf(cell[1])));
}

function countsOf(counts: Array<{ value: string; public: number; nonPublic: number }>, value: string): string[] {
  const c = counts.find((entry) => entry.value === value)!;
  return [String(c.public), String(c.nonPublic), String(c.public + c.nonPublic)];
}

function grantedUntil(from: string, until: string): Record<string, unknown> {
  return {
    authorityType: 'judicial', authority: 'Juízo de Garantias', reference: `Proc. ${until}`, requestedOn: from, decidedOn: from, outcome: 'granted',
    validFrom: from, validUntil: until, scope: { geographic: 'Rodoviária', persons: 'One missing child' }, decisionDocumentSha256: 'b'.repeat(64), urgency: { used: false },
  };
}

function textOf(html: string): string {
  return unescape(html.replace(/<[^>]+>/g, '')).replace(/\s+/g, ' ').trim();
}

function unescape(html: string): string {
  const entities: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
  return html.replace(/&(amp|lt|gt|quot|#39);/g, (e) => entities[e]);
}

// After the other app is closed: on the embedded database a test worker has one session.
describe('the verifier command of a deployment that names its source repository', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ SOURCE_REPOSITORY: 'https://forge.example/justice/custodia.git' });
  });
  afterAll(() => t?.close());

  it('starts with a clone of that repository, in every language', async () => {
    // The verify page shows the latest checkpoint: wait for the log's first.
    await waitForTreeSize(t.http, 1);
    for (const lang of ['en', 'fr']) {
      const page = (await t.http.get(`/${lang}/verify`).expect(200)).text;
      const first = unescape(/<pre><code>([^\n<]*npm ci)\n/.exec(page)?.[1] ?? '');
      expect([lang, first]).toEqual([lang, 'git clone https://forge.example/justice/custodia.git custodia && cd custodia && npm ci']);
      expect(page).not.toContain(lang === 'en' ? 'Get it from a source you trust' : 'Obtenez-le');
    }
  });
});
