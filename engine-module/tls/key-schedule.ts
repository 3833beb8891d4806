// The TLS 1.3 key schedule (RFC 8446 §7.1): HKDF-Expand-Label, Derive-Secret, and the secrets and keys of one
// connection derived from them.

import { ByteWriter } from '../bytes/byte-writer.js';
import { asciiEncode } from '../bytes/bytes.js';
import type { CryptoProvider, HashName } from './crypto/provider.js';
import { hkdfExpand, hkdfExtract } from './crypto/hkdf.js';
import { HASH_LENGTH } from './crypto/hash-lengths.js';

/** HKDF-Expand-Label(secret, label, context, length) with the "tls13 " prefix. */
function hkdfExpandLabel(
  crypto: CryptoProvider,
  hash: HashName,
  secret: Uint8Array,
  label: string,
  context: Uint8Array,
  length: number,
): Uint8Array {
  const info = new ByteWriter(10 + label.length + context.length)
    .u16(length)
    .vec8((w) => w.bytes(asciiEncode('tls13 ' + label)))
    .vec8((w) => w.bytes(context))
    .finish();
  return hkdfExpand(crypto, hash, secret, info, length);
}

/** A traffic key and IV for one direction. */
export interface TrafficKeys {
  key: Uint8Array;
  iv: Uint8Array;
}

/**
 * The secrets of one TLS 1.3 connection (no PSK: the early secret comes from zeros). Methods follow the order of the
 * handshake; each takes the transcript hash at the point the RFC names.
 */
export class KeySchedule {
  private readonly hashLength: number;
  private readonly emptyHash: Uint8Array;
  private handshakeSecret: Uint8Array | null = null;
  private masterSecret: Uint8Array | null = null;

  constructor(
    private readonly crypto: CryptoProvider,
    readonly hash: HashName,
  ) {
    this.hashLength = HASH_LENGTH[hash];
    this.emptyHash = crypto.hash(hash, new Uint8Array(0));
  }

  /** Derive-Secret(secret, label, messages) where `transcriptHash` = Transcript-Hash(messages). */
  deriveSecret(secret: Uint8Array, label: string, transcriptHash: Uint8Array): Uint8Array {
    return hkdfExpandLabel(this.crypto, this.hash, secret, label, transcriptHash, this.hashLength);
  }

  /** Feed the (EC)DHE shared secret; returns [client, server] handshake traffic secrets. */
  handshakeSecrets(sharedSecret: Uint8Array, helloHash: Uint8Array): [Uint8Array, Uint8Array] {
    const zeros = new Uint8Array(this.hashLength);
    const early = hkdfExtract(this.crypto, this.hash, zeros, zeros);
    const salt = this.deriveSecret(early, 'derived', this.emptyHash);
    this.handshakeSecret = hkdfExtract(this.crypto, this.hash, salt, sharedSecret);
    return [
      this.deriveSecret(this.handshakeSecret, 'c hs traffic', helloHash),
      this.deriveSecret(this.handshakeSecret, 's hs traffic', helloHash),
    ];
  }

  /** After the server Finished: returns [client, server] application traffic secrets. */
  applicationSecrets(serverFinishedHash: Uint8Array): [Uint8Array, Uint8Array] {
    if (!this.handshakeSecret) throw new Error('key schedule: application secrets before the handshake secret');
    const salt = this.deriveSecret(this.handshakeSecret, 'derived', this.emptyHash);
    this.masterSecret = hkdfExtract(this.crypto, this.hash, salt, new Uint8Array(this.hashLength));
    return [
      this.deriveSecret(this.masterSecret, 'c ap traffic', serverFinishedHash),
      this.deriveSecret(this.masterSecret, 's ap traffic', serverFinishedHash),
    ];
  }

  /** The key and IV a traffic secret gives for an AEAD with this key length. */
  trafficKeys(secret: Uint8Array, keyLength: number): TrafficKeys {
    return {
      key: hkdfExpandLabel(this.crypto, this.hash, secret, 'key', new Uint8Array(0), keyLength),
      iv: hkdfExpandLabel(this.crypto, this.hash, secret, 'iv', new Uint8Array(0), 12),
    };
  }

  /** Finished verify_data for a handshake traffic secret over the transcript hash (§4.4.4). */
  finishedMac(baseSecret: Uint8Array, transcriptHash: Uint8Array): Uint8Array {
    const key = hkdfExpandLabel(this.crypto, this.hash, baseSecret, 'finished', new Uint8Array(0), this.hashLength);
    return this.crypto.hmac(this.hash, key, transcriptHash);
  }

  /** The next application traffic secret after a KeyUpdate (§7.2). */
  nextTrafficSecret(secret: Uint8Array): Uint8Array {
    return hkdfExpandLabel(this.crypto, this.hash, secret, 'traffic upd', new Uint8Array(0), this.hashLength);
  }
}
