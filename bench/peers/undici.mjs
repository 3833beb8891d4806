// undici (v6) on one keep-alive connection: the reference HTTP/1.1 client for Node.
import { Client } from 'undici';

/** A bench client `{ name, get(path) -> body bytes, close() }` for `origin` (http://127.0.0.1:port). */
export function undiciClient(origin) {
  const client = new Client(origin, { pipelining: 1, keepAliveTimeout: 300_000, bodyTimeout: 0, headersTimeout: 0 });
  return {
    name: 'undici',
    async get(path) {
      const { statusCode, body } = await client.request({ path, method: 'GET' });
      if (statusCode !== 200) throw new Error(`undici: status ${statusCode} for ${path}`);
      let n = 0;
      for await (const chunk of body) n += chunk.length;
      return n;
    },
    close: () => client.close(),
  };
}
