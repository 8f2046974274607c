import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from './support/app.js';

describe('the declaration schema endpoint', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('serves the versioned JSON Schema to anyone, cacheable, with the visibility of each field', async () => {
    const res = await t.http.get('/api/v1/schema').expect(200);
    expect(res.headers['content-type']).toContain('application/json');
    expect(res.headers['cache-control']).toBe('public, max-age=3600');
    expect(res.body).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'urn:custodia:schema:declaration:1',
      'x-schema-version': 1,
    });
    expect(res.body.properties.identity.properties.name['x-visibility']).toBe('public');
    expect(res.body.properties.transparency.properties.deploymentDetails['x-visibility']).toBe('sensitive_operational');
    await t.http.get('/api/v1/schema').set('If-None-Match', res.headers.etag).expect(304);
  });
});
