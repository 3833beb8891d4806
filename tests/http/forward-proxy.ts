// A minimal forward proxy on loopback for proxy tests: CONNECT opens a tunnel (403 for port 1), an absolute-form
// request is forwarded to its origin in origin-form. Every request line it receives is recorded.
import { connect, type Socket } from 'node:net';
import { scriptedServer } from './loopback-server.js';

/** A forward proxy server (not yet listening) and the request lines it has received. */
export function forwardProxy() {
  const proxied: string[] = [];
  const script = (client: Socket): void => {
    let head = Buffer.alloc(0);
    const onData = (d: Buffer) => {
      head = Buffer.concat([head, d]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      client.off('data', onData);
      const text = head.subarray(0, end).toString('latin1');
      const rest = head.subarray(end + 4);
      const [line, ...fields] = text.split('\r\n');
      proxied.push(line);
      const [method, target] = line.split(' ');
      if (method === 'CONNECT') {
        const [host, port] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
        if (port === 1) return void client.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
        const upstream = connect(port, host, () => {
          client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
          upstream.write(rest);
          client.pipe(upstream).pipe(client);
        });
        upstream.on('error', () => client.destroy());
        client.on('close', () => upstream.destroy());
        return;
      }
      const url = new URL(target);
      const upstream = connect(Number(url.port), url.hostname, () => {
        upstream.write(`${method} ${url.pathname}${url.search} HTTP/1.1\r\n${fields.join('\r\n')}\r\n\r\n`);
        upstream.write(rest);
        client.pipe(upstream).pipe(client);
      });
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
    };
    client.on('data', onData);
  };
  return { ...scriptedServer(script), proxied };
}
