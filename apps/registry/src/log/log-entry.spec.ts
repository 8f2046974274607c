import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { canonicalJson, contentHash, encodeEntry } from './log-entry.js';

const input = {
  actor: { id: 'u-1', roles: ['agency_editor', 'admin'], agencyId: 'a-1' },
  action: 'tool.publish',
  subject: { type: 'tool', id: 't-1', revision: 3 },
  content: { b: 1, a: [true, null, 'é'] },
  publicContent: { a: [true, null, 'é'] },
  requestId: 'r-1',
};
const time = new Date('2026-11-22T10:00:00.000Z');

describe('log entry encoding', () => {
  it('writes RFC 8785 canonical JSON: sorted keys, no spaces, digests of content', () => {
    const text = encodeEntry(input, 'registry.example/log', time).toString('utf8');
    expect(text).toBe(
      '{"action":"tool.publish","actor":{"agencyId":"a-1","id":"u-1","roles":["admin","agency_editor"]},' +
        `"contentHash":"${contentHash(input.content)}","origin":"registry.example/log",` +
        `"publicContentHash":"${contentHash(input.publicContent)}","requestId":"r-1",` +
        '"subject":{"id":"t-1","revision":3,"type":"tool"},"time":"2026-11-22T10:00:00.000Z","v":1}',
    );
  });

  it('is deterministic whatever the key order of the input', () => {
    const reordered = { ...input, content: { a: [true, null, 'é'], b: 1 } };
    expect(encodeEntry(reordered, 'o', time)).toEqual(encodeEntry(input, 'o', time));
  });

  it('leaves out optional members instead of writing null', () => {
    const text = encodeEntry({ actor: { id: 'u', roles: ['admin'] }, action: 'x', subject: { type: 'agency', id: 'a' }, requestId: 'r' }, 'o', time).toString();
    expect(text).not.toContain('null');
    expect(JSON.parse(text)).not.toHaveProperty('contentHash');
    expect(JSON.parse(text).actor).not.toHaveProperty('agencyId');
  });

  it('hashes the canonical bytes of content with SHA-256', () => {
    expect(contentHash({ z: 1, a: 2 })).toBe(createHash('sha256').update('{"a":2,"z":1}').digest('hex'));
    expect(canonicalJson({ n: 1e21, s: 'é' })).toBe('{"n":1e+21,"s":"é"}');
  });
});
