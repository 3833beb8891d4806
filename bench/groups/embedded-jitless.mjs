// The embedded group's figures under `node --jitless` (V8 without its JIT, as on iOS): run by bench/groups/embedded.mjs
// in a child process with the server's ports and root, prints one JSON line of summaries.
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { loadClient } from '../build-clients.mjs';
import { mbps, summarize } from '../stats.mjs';

const { port, rootPem, bodyBytes, runs, handshakes } = JSON.parse(process.argv[2]);
const polled = await loadClient('polled');

/** noble's ChaCha20-Poly1305 opening 16 KiB records in this interpreter (what the download decrypts). */
function nobleChacha() {
  const key = new Uint8Array(32);
  const nonce = new Uint8Array(12);
  const aad = new Uint8Array(5);
  const sealed = chacha20poly1305(key, nonce, aad).encrypt(new Uint8Array(16384));
  const records = Math.ceil(bodyBytes / 16384);
  const t0 = performance.now();
  for (let i = 0; i < records; i++) chacha20poly1305(key, nonce, aad).decrypt(sealed);
  return mbps(records * 16384, performance.now() - t0);
}

// Downloads and noble alone interleaved, so both see the same machine.
const client = polled.polledClient({ port, readChunkSize: 65536, tls: { rootPem, provider: 'pure' } });
const rates = [];
const nobleRates = [];
await client.get(`/body?size=${bodyBytes >> 3}`);
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  const n = await client.get(`/body?size=${bodyBytes}`);
  if (n !== bodyBytes) throw new Error(`jitless download gave ${n} bytes, expected ${bodyBytes}`);
  rates.push(mbps(bodyBytes, performance.now() - t0));
  nobleRates.push(nobleChacha());
}
client.close();
const download = summarize(rates);
const opts = { port, rootPem, provider: 'pure' };
for (let i = 0; i < 2; i++) await polled.tlsHandshake(opts);
const handshake = [];
for (let i = 0; i < handshakes; i++) handshake.push((await polled.tlsHandshake(opts)).pollMs);
const noble = summarize(nobleRates);
console.log(JSON.stringify({ download, handshake: summarize(handshake), noble }));
process.exit(0);
