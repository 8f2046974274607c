import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RegistryClient } from './http-client.js';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A registry on loopback whose handler is told how many requests came so far; and a client of it. */
async function serve(handler: (requests: number, request: IncomingMessage, response: ServerResponse) => void): Promise<{ client: RegistryClient; requests: () => number }> {
  let requests = 0;
  server = createServer((request, response) => handler(++requests, request, response));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { client: new RegistryClient(`http://127.0.0.1:${port}`), requests: () => requests };
}

describe('RegistryClient against a rate-limited registry', () => {
  /** A registry that refuses the first `refusals` requests with 429 and Retry-After: 0. */
  function registry(refusals: number) {
    return serve((requests, _request, response) => {
      if (requests <= refusals) {
        response.writeHead(429, { 'Content-Type': 'application/problem+json', 'Retry-After': '0' });
        response.end(JSON.stringify({ title: 'Too many requests', detail: 'Come back in 0 s.' }));
      } else {
        response.writeHead(200, { 'Content-Type': 'application/json' });
        response.end('{"size":3}');
      }
    });
  }

  it('waits as Retry-After says and asks again', async () => {
    const { client, requests } = await registry(2);
    expect(await client.json('/log/checkpoint')).toEqual({ size: 3 });
    expect(requests()).toBe(3);
  });

  it('gives up after its retries with the 429 and the problem it carried', async () => {
    const { client, requests } = await registry(1000);
    await expect(client.json('/log/checkpoint')).rejects.toThrow('HTTP 429 Too many requests: Come back in 0 s.');
    expect(requests()).toBe(11);
  });
});

describe('RegistryClient when the server closes a connection without answering', () => {
  /** A registry that drops the connection of the first `drops` requests before answering. */
  function registry(drops: number) {
    return serve((requests, request, response) => {
      if (requests <= drops) {
        request.socket.destroy();
        return;
      }
      response.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      response.end(Buffer.from([1, 2, 3]));
    });
  }

  it('asks again, as the same GET, and gets the answer', async () => {
    const { client, requests } = await registry(2);
    expect(Array.from(await client.bytes('/log/tile/entries/005'))).toEqual([1, 2, 3]);
    expect(requests()).toBe(3);
  });

  it('gives up after three more tries, naming the URL and the reason', async () => {
    const { client, requests } = await registry(1000);
    await expect(client.bytes('/log/tile/entries/005')).rejects.toThrow(/GET http:\/\/127\.0\.0\.1:\d+\/log\/tile\/entries\/005: could not reach the server \((UND_ERR_SOCKET|ECONNRESET)\)/);
    expect(requests()).toBe(4);
  });

  it('does not retry a server that is not there', async () => {
    const { client } = await registry(0);
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    await expect(client.bytes('/log/checkpoint')).rejects.toThrow('could not reach the server (ECONNREFUSED)');
  });
});
