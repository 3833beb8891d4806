// The one-shot helper for tools: a Promise of the outcome, its own frame loop, its sockets closed afterwards.
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Method } from '../../engine-module/http/constants.js';
import { Result } from '../../engine-module/request/result.js';
import { requestOnce } from '../../engine-module/scene/request-once.js';
import { platform, startServer, type TestServer } from '../ecs/helpers.js';
import { text } from './helpers.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer((req, res) => {
    if (req.url === '/gzip') {
      res.setHeader('Content-Encoding', 'gzip');
      return res.end(gzipSync('unzipped'));
    }
    if (req.url === '/missing') res.statusCode = 404;
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => res.end(`${req.method} ${req.url} ${body}`));
  });
});
afterAll(() => server.close());

describe('requestOnce', () => {
  it('resolves with the outcome, decoded, and leaves no socket open', async () => {
    const r = await requestOnce(server.url('/gzip'), { scene: { platform } });
    expect([r.result, r.responseCode, text(r.body), r.error]).toEqual([Result.SUCCESS, 200, 'unzipped', '']);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.live.size).toBe(0);
  });

  it('sends a method and body, and reports HTTP errors as responses', async () => {
    const post = await requestOnce(server.url('/scores'), { scene: { platform }, method: Method.POST, body: 'score=3' });
    expect(text(post.body)).toBe('POST /scores score=3');
    const missing = await requestOnce(server.url('/missing'), { scene: { platform } });
    expect([missing.result, missing.responseCode]).toEqual([Result.SUCCESS, 404]);
  });

  it('resolves failures as results and rejects a request that cannot start', async () => {
    const closed = await startServer(() => {});
    const port = closed.port;
    await closed.close();
    const r = await requestOnce(`http://127.0.0.1:${port}/`, { scene: { platform } });
    expect(r.result).toBe(Result.CANT_CONNECT);
    expect(r.error).not.toBe('');
    await expect(requestOnce('nope://x', { scene: { platform } })).rejects.toThrow(/ERR_INVALID_PARAMETER: not an absolute/);
  });
});
