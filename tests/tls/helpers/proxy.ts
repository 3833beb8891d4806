// A loopback TCP proxy in front of a real server that can cut or alter the server's bytes, record by record.

import net from 'node:net';

/** What to do with one server record: pass it, replace it, or cut the connection before it. */
export type RecordAction = Buffer | 'cut';

export interface Proxy {
  port: number;
  close(): Promise<void>;
}

/**
 * Forward client <-> server on 127.0.0.1. Server-to-client bytes are split into TLS records and each is given to
 * `onServerRecord` with the number of client application_data records seen so far.
 */
export function startProxy(target: number, onServerRecord: (record: Buffer, clientDataRecords: number) => RecordAction): Promise<Proxy> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target, '127.0.0.1');
    sockets.add(client).add(upstream);
    let clientRecords = 0;
    let fromClient = Buffer.alloc(0);
    let fromServer = Buffer.alloc(0);
    client.on('data', (d) => {
      fromClient = Buffer.concat([fromClient, d]);
      while (fromClient.length >= 5 && fromClient.length >= 5 + fromClient.readUInt16BE(3)) {
        if (fromClient[0] === 23) clientRecords++;
        fromClient = fromClient.subarray(5 + fromClient.readUInt16BE(3));
      }
      upstream.write(d);
    });
    upstream.on('data', (d) => {
      fromServer = Buffer.concat([fromServer, d]);
      while (fromServer.length >= 5 && fromServer.length >= 5 + fromServer.readUInt16BE(3)) {
        const n = 5 + fromServer.readUInt16BE(3);
        const action = onServerRecord(fromServer.subarray(0, n), clientRecords);
        fromServer = fromServer.subarray(n);
        if (action === 'cut') {
          client.destroy();
          upstream.destroy();
          return;
        }
        client.write(action);
      }
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        port: (server.address() as net.AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
