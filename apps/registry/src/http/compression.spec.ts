import express from 'express';
import request from 'supertest';
import { compressAnswers } from './compression.js';

// Two kilobytes of base64 hashes in JSON, as a long proof would be.
const hashes = Array.from({ length: 44 }, (_, i) => Buffer.alloc(32, i * 7 + 1).toString('base64'));

function app() {
  const served = express();
  served.use(compressAnswers());
  for (const path of ['/api/v1/log/proofs/consistency', '/api/v1/log/entries', '/api/v1/public/tools']) {
    served.get(path, (_request, response) => void response.json({ hashes }));
  }
  return served;
}

describe('compressAnswers', () => {
  it('sends a proof as it is, whatever the client accepts', async () => {
    const answer = await request(app()).get('/api/v1/log/proofs/consistency').set('Accept-Encoding', 'br, gzip').buffer(true);
    expect(answer.headers['content-encoding']).toBeUndefined();
    expect(Number(answer.headers['content-length'])).toBeGreaterThan(2000);
    expect(answer.body.hashes).toEqual(hashes);
  });

  it.each(['/api/v1/log/entries', '/api/v1/public/tools'])('compresses the same answer of %s for a client that accepts it', async (path) => {
    // (superagent decodes the Brotli for us.)
    const answer = await request(app()).get(path).set('Accept-Encoding', 'br').buffer(true);
    expect(answer.headers['content-encoding']).toBe('br');
    expect(answer.headers['content-length']).toBeUndefined();
    expect(answer.body).toEqual({ hashes });
  });
});
