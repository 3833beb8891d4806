// The handshake transcript (RFC 8446 §4.4.1). The hash is known only once the server picks a suite, so messages are
// kept until then; a HelloRetryRequest replaces ClientHello1 with a synthetic message_hash.

import type { CryptoProvider, HashName, HashState } from './crypto/provider.js';
import { HASH_LENGTH } from './crypto/hash-lengths.js';
import { HandshakeType } from './messages/handshake.js';

export class Transcript {
  private pending: Uint8Array[] = [];
  private state: HashState | null = null;

  constructor(private readonly crypto: CryptoProvider) {}

  add(message: Uint8Array): void {
    if (this.state) this.state.update(message);
    else this.pending.push(message);
  }

  /** Fix the hash (once the suite is known) and hash everything kept so far. */
  start(hash: HashName): void {
    this.state = this.crypto.createHash(hash);
    for (const m of this.pending) this.state.update(m);
    this.pending = [];
  }

  /** Transcript-Hash of everything added so far. */
  hash(): Uint8Array {
    if (!this.state) throw new Error('transcript: hash before the suite is known');
    return this.state.digestSoFar();
  }

  /**
   * After a HelloRetryRequest: restart from message_hash(Hash(ClientHello1)) (§4.4.1). Must be called with only
   * ClientHello1 added.
   */
  restartForRetry(hash: HashName): void {
    this.start(hash);
    const ch1 = this.hash();
    this.state = this.crypto.createHash(hash);
    this.state.update(Uint8Array.of(HandshakeType.message_hash, 0, 0, HASH_LENGTH[hash]));
    this.state.update(ch1);
  }
}
