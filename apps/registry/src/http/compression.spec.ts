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
  // An answer written in parts, as an export is.
  served.get('/api/v1/public/export.json', (_request, response) => {
    response.type('json');
    response.write('{"hashes":[');
    hashes.forEach((hash, i) => response.write(`${i ? ',' : ''}"${hash}"`));
    response.end(']}');
  });
  served.get('/no-transform', (_request, response) => void response.set('Cache-Control', 'no-transform').json({ hashes }));
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
    expect(answer.headers.vary).toBe('Accept-Encoding');
    expect(answer.body).toEqual({ hashes });
  });

  it('compresses an answer sent whole in one go, with the length of what it sends', async () => {
    const answer = await request(app()).get('/api/v1/public/tools').set('Accept-Encoding', 'gzip').buffer(true).parse((response, done) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(answer.headers['content-encoding']).toBe('gzip');
    // (superagent hands over the body decoded: its length is checked against the header by Node's parser.)
    const sent = Number(answer.headers['content-length']);
    expect(sent).toBeGreaterThan(0);
    expect(sent).toBeLessThan(Buffer.byteLength(JSON.stringify({ hashes })));
    expect(JSON.parse((answer.body as Buffer).toString('utf8'))).toEqual({ hashes });
  });

  it('compresses an answer written in parts as it goes', async () => {
    const answer = await request(app()).get('/api/v1/public/export.json').set('Accept-Encoding', 'br').buffer(true);
    expect(answer.headers['content-encoding']).toBe('br');
    expect(answer.headers['content-length']).toBeUndefined();
    expect(answer.headers['transfer-encoding']).toBe('chunked');
    expect(answer.body).toEqual({ hashes });
  });

  it('sends an answer marked no-transform as it is', async () => {
    const answer = await request(app()).get('/no-transform').set('Accept-Encoding', 'br, gzip').buffer(true);
    expect(answer.headers['content-encoding']).toBeUndefined();
    expect(answer.body).toEqual({ hashes });
  });

  it('answers a HEAD with the headers of the answer and no body', async () => {
    const answer = await request(app()).head('/api/v1/public/tools').set('Accept-Encoding', 'br');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-encoding']).toBeUndefined();
    expect(answer.text ?? '').toBe('');
  });
});
