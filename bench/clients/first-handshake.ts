// Child-process entry (bench/groups/handshake.mjs forks it): the first TLS handshake of a fresh process, through
// HTTPClient, with the provider and chain named on the command line; reports { maxPollMs, pollMs } to the parent.
// Whatever a first handshake builds or compiles lazily (curve tables, cold code) lands in these polls.
import { handshake, type ProviderName } from './polled.js';

const [port, provider, rootPem] = process.argv.slice(2);

handshake({ port: Number(port), rootPem, provider: provider as ProviderName }).then(
  (r) => {
    process.send!(r);
    process.exit(0);
  },
  (e: unknown) => {
    process.send!({ error: String(e instanceof Error ? e.message : e) });
    process.exit(1);
  },
);
