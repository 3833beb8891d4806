import { afterEach, describe, expect, it } from 'vitest';
import type { TlsWrapper } from '../../engine-module/http/client-options.js';
import type { Platform } from '../../engine-module/platform/platform.js';
import type { RequestSpec } from '../../engine-module/request/request-spec.js';
import { Result } from '../../engine-module/request/result.js';
import { platform, startServer, testWorld, type TestServer, type TestWorld } from './helpers.js';
import { connectionCounts } from '../../engine-module/testing.js';

let server: TestServer | undefined;
let tw: TestWorld;
afterEach(async () => {
  tw?.destroy();
  await server?.close();
  server = undefined;
});

/** The response of a request run to its end. */
const run = async (spec: RequestSpec) => (await tw.run(spec)).r;

describe('failures become outcomes', () => {
  it('https to a plain HTTP server is RESULT_SSL_HANDSHAKE_ERROR with a reason, and frees the connection', async () => {
    server = await startServer((_req, res) => res.end('plain'));
    tw = testWorld();
    const r = await run({ url: `https://127.0.0.1:${server.port}/` });
    expect(r.result).toBe(Result.SSL_HANDSHAKE_ERROR);
    expect(r.error).toMatch(/did not answer with TLS/);
    expect(connectionCounts(tw.http).leased).toBe(0);
  });

  // A custom layer gets the PEM as given; connectToHost only refuses text holding no certificate at all.
  const PEM = '-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n';

  it('passes TLS options through to the TLS layer, and its failure is RESULT_SSL_HANDSHAKE_ERROR', async () => {
    server = await startServer(() => {});
    const params: unknown[] = [];
    const failingTls: TlsWrapper = (inner, p) => {
      params.push({ host: p.host, verifyHost: p.verifyHost, trustedChain: p.trustedChain, cn: p.commonNameOverride });
      inner.disconnectFromHost();
      return {
        getStatus: () => 3,
        getAvailableBytes: () => 0,
        getPartialData: () => new Uint8Array(0),
        putPartialData: () => 0,
        disconnectFromHost() {},
        getTlsError: () => 'certificate expired',
      };
    };
    tw = testWorld({ client: { tls: failingTls } });
    const r = await run({
      url: `https://127.0.0.1:${server.port}/`,
      tls: { verifyHost: false, trustedChain: PEM, commonNameOverride: 'game.test' },
    });
    expect(r).toMatchObject({ result: Result.SSL_HANDSHAKE_ERROR, error: 'certificate expired' });
    expect(params).toEqual([{ host: '127.0.0.1', verifyHost: false, trustedChain: PEM, cn: 'game.test' }]);
  });

  it('a file that fails to write is RESULT_DOWNLOAD_FILE_WRITE_ERROR; a throwing file API is RESULT_REQUEST_FAILED', async () => {
    server = await startServer((_req, res) => res.end('data'));
    const failing: Platform = Object.create(platform);
    failing.files = {
      size: () => -1,
      open: (path) =>
        path.endsWith('throws') ? (() => { throw new Error('disk on fire'); })() : { write: () => false, close() {} },
    };
    tw = testWorld({ platform: failing });
    expect((await run({ url: server.url('/'), download: '/x/fails' })).result).toBe(Result.DOWNLOAD_FILE_WRITE_ERROR);
    expect(await run({ url: server.url('/'), download: '/x/throws' })).toMatchObject({
      result: Result.REQUEST_FAILED,
      error: 'internal error: Error: disk on fire',
    });
    expect(connectionCounts(tw.http).leased).toBe(0);
  });
});
