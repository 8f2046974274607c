import { exampleDeclaration } from '../../apps/registry/src/declarations/schema/example-declaration.js';
import { bearer, type TestApp } from './app.js';

/** Declares a tool named `name`, submits it and publishes it, as its agency would; returns its id and log queue id. */
export async function publishTool(t: TestApp, editor: string, approver: string, name: string): Promise<{ id: string; queueId: string }> {
  const content = exampleDeclaration() as Record<string, Record<string, unknown>>;
  content.identity.name = name;
  let res = await t.http.post('/api/v1/tools').set(bearer(editor)).send({ content }).expect(201);
  const id = res.body.id as string;
  res = await t.http.post(`/api/v1/tools/${id}/submit`).set(bearer(editor)).set('If-Match', res.headers.etag).expect(200);
  res = await t.http.post(`/api/v1/tools/${id}/publish`).set(bearer(approver)).set('If-Match', res.headers.etag).expect(200);
  return { id, queueId: res.headers['x-log-entry'] };
}
