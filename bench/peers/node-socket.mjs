// What Node itself allows on this loopback, as a floor for the polled clients: a net.Socket reading with `onread`
// into one reused 64 KiB buffer, the body's bytes counted where they land (no HTTP parsing past the head's
// Content-Length, no stream, no copy). With `copy`, each read is also copied into a new array of its own, which is
// the least an API that hands its caller an array the caller owns (Godot's read_response_body_chunk) must do.
import { connect } from 'node:net';

const READ = 64 * 1024;
const HEAD_END = '\r\n\r\n';

/** A bench client `{ name, get(path) -> body bytes, close() }` on one keep-alive connection to 127.0.0.1:port. */
export function nodeSocketClient({ port, copy }) {
  let head = '';
  /** Body bytes still to come, or -1 while the head is read. */
  let left = -1;
  let got = 0;
  let settle = null;
  const received = (n, buf) => {
    let start = 0;
    if (left < 0) {
      head += Buffer.from(buf.buffer, buf.byteOffset, n).toString('latin1');
      const end = head.indexOf(HEAD_END);
      if (end < 0) return;
      const length = /\r\ncontent-length: *(\d+)/i.exec(head.slice(0, end));
      if (!length) return settle.reject(new Error(`node socket: no Content-Length in ${JSON.stringify(head.slice(0, end))}`));
      left = Number(length[1]);
      start = n - (head.length - end - HEAD_END.length);
      head = '';
    }
    const k = Math.min(n - start, left);
    // Constructed from the bytes: the new array is filled straight from them (a zeroed array and a set() would write
    // its memory twice).
    if (copy && k > 0) new Uint8Array(buf.subarray(start, start + k));
    got += k;
    left -= k;
    if (left === 0) {
      left = -1;
      settle.resolve(got);
    }
  };
  const socket = connect({ host: '127.0.0.1', port, onread: { buffer: new Uint8Array(READ), callback: received } });
  socket.setNoDelay(true);
  socket.on('error', (e) => settle?.reject(e));
  return {
    name: copy ? 'node socket copy' : 'node socket',
    get(path) {
      got = 0;
      return new Promise((resolve, reject) => {
        settle = { resolve, reject };
        socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
      });
    },
    close: () => socket.destroy(),
  };
}
