import type { AeadName, GroupName, HashName } from '../tls/crypto/provider.js';

/**
 * Bytes handed back by a host: a Uint8Array, or an ArrayBuffer (taken as a view, not copied). Whichever the host's
 * embedding API makes cheapest.
 */
export type HostBytes = Uint8Array | ArrayBuffer;

/**
 * The native functions an engine exposes so tickhttp can run inside its embedded JavaScript runtime (QuickJS or
 * similar). Everything is synchronous and non-blocking: tickhttp calls these from inside a frame tick and never
 * waits. Build a platform from it with `createHostPlatform(bridge)` and install it with `setPlatform(...)`.
 *
 * Handles are plain numbers chosen by the host (any value >= 0). tickhttp calls `tcpClose` once for a handle when it
 * is done with the connection (a client closed or reconnected), after which the host may reuse the number.
 */
export interface HostBridge {
  /**
   * Start a TCP connection and return its handle at once (the connect itself proceeds in the background; see
   * {@link tcpStatus}). `host` is what {@link resolve} produced, or the host name itself when the bridge has no
   * `resolve` (the host resolves as part of connecting then). A negative return means the connection could not even
   * be started; the peer reports ERROR.
   */
  tcpConnect(host: string, port: number): number;
  /**
   * Queue bytes for sending without blocking; return how many were accepted (0..data.length; 0 when the host's
   * send buffer is full). `data` always covers its whole ArrayBuffer (byteOffset 0, byteLength equal to the
   * buffer's), so the host may read either the view or its buffer. At most 64 KiB are offered per call. Report a
   * broken connection through {@link tcpStatus}, not through the return value (negative values count as 0).
   */
  tcpSend(handle: number, data: Uint8Array): number;
  /**
   * Take at most `max` received bytes without blocking; an empty result (length 0) when none are buffered.
   * After the remote closed, keep returning the bytes that arrived before the close until none are left.
   */
  tcpReceive(handle: number, max: number): HostBytes;
  /**
   * 0 = closed (the remote or the host closed the connection), 1 = connecting, 2 = connected, 3 = error
   * (connect refused, reset, name not found). Bytes still unread when the status turns 0 are drained by tickhttp
   * through {@link tcpReceive} before it reports the connection closed.
   */
  tcpStatus(handle: number): number;
  /** Optional: how many received bytes {@link tcpReceive} could return right now (saves a copy per query). */
  tcpAvailable?(handle: number): number;
  /** Close the connection and release the handle. Never called twice for one handle. */
  tcpClose(handle: number): void;

  /**
   * Optional non-blocking name resolution. Called once per poll with the same name until it settles: return the
   * address (an IPv4 or IPv6 literal) when known, `null` when the name cannot be resolved, `undefined` while the
   * lookup is still running (the host keys lookups in flight by name). IP literals come here too: return them as
   * they are. Without it, names go to {@link tcpConnect} unresolved.
   */
  resolve?(host: string): string | null | undefined;

  /**
   * Exactly `n` bytes from a cryptographically secure random source (the OS CSPRNG or equivalent). Required for
   * HTTPS: without it TLS refuses to start with an error. Never back this with Math.random.
   */
  randomBytes?(n: number): HostBytes;
  /** Monotonic milliseconds (a frame clock is fine): timeouts and budgets. */
  now(): number;
  /** Optional: wall-clock milliseconds since the Unix epoch, for certificate validity; else the runtime's Date. */
  wallClock?(): number;
  /**
   * Optional: the default trusted root certificates, as an array of DER certificates or one PEM string with any
   * number of CERTIFICATE blocks. Read once, by createHostPlatform. Without it there is no default trust store:
   * HTTPS then needs `verifyHost = false` or a `trustedChain` per connection.
   */
  trustedRoots?(): HostBytes[] | string;

  /**
   * Optional file sink (downloads to disk, resumable downloads). Give all four or none.
   * Open `path` for writing (truncate, or append when `append`); a handle >= 0, or negative when it cannot open.
   */
  fileOpen?(path: string, append: boolean): number;
  /** Append bytes to an open file (a view over its whole buffer, as in {@link tcpSend}); false when it failed. */
  fileWrite?(handle: number, data: Uint8Array): boolean;
  /** Flush and close an open file. */
  fileClose?(handle: number): void;
  /** Size in bytes of an existing file, or -1 when it does not exist. */
  fileSize?(path: string): number;
  /** Optional, with the file sink: a whole file's bytes, or null when missing (the file-backed cache). */
  fileRead?(path: string): HostBytes | null;
  /** Optional, with the file sink: remove a file if present. */
  fileRemove?(path: string): void;

  /**
   * Optional native crypto: the primitives the host's own library (OpenSSL, mbedTLS, BoringSSL, libsodium, a
   * console SDK) can run, so TLS is not held to interpreter speed. Each one left out runs in pure JavaScript; see
   * {@link HostCrypto}.
   */
  crypto?: HostCrypto;
}

/**
 * A signature algorithm by name, as {@link HostCrypto.verify} receives it. The hash is applied to the data by the
 * host. ECDSA signatures are DER-encoded (as in TLS and X.509) and high-S values are accepted; RSA-PSS uses MGF1 with
 * the same hash and a salt as long as the hash; Ed25519 is pure Ed25519 (RFC 8032, no prehash).
 */
export type HostSignatureName = `ecdsa-${HashName}` | `rsa-pkcs1-${HashName}` | `rsa-pss-${HashName}` | 'ed25519';

/**
 * The crypto primitives a host may run natively for tickhttp's TLS. Every member is optional and each primitive falls
 * back to the pure JavaScript implementation on its own, so a host can start with AEAD alone (nearly all the CPU of a
 * download: every record is sealed or opened) and add key exchange and signature checks (most of a handshake's CPU)
 * later. Pairs go together: `aeadSeal` with `aeadOpen`, `keySharePublic` with `ecdh`; createHostPlatform throws at
 * start-up for half a pair or an unknown name in `aeads`/`groups`.
 *
 * Calling convention, for every function:
 * - Synchronous, and stateless from tickhttp's point of view: every call carries its key; nothing is opened,
 *   cached or released across calls (a host may cache what it likes).
 * - Every byte argument is a Uint8Array covering its whole ArrayBuffer (byteOffset 0, byteLength equal to the
 *   buffer's), as in {@link HostBridge.tcpSend}, so the host may read either. Keys and secrets only ever cross as
 *   bytes, never as strings; the only strings are the algorithm names. Results are a Uint8Array or an ArrayBuffer.
 * - tickhttp checks sizes before calling (key and nonce lengths, a ciphertext shorter than its tag, the wire form
 *   of a peer's public value, the RSA key rules) and refuses bad input itself, so the host only sees well-formed
 *   requests; it checks the size of every result too.
 * - Expected outcomes are values: `aeadOpen` returns null for a tag that does not verify, `ecdh` null for a peer
 *   value not on the curve, `verify` false for a bad signature. Throw only for a fault of the host itself (out of
 *   memory, an algorithm the library lacks); the connection then fails with a reason naming the function and your
 *   error's message (`tickhttp: the host's aeadOpen failed: ...`), and the game loop never sees the exception.
 *
 * Incremental hashing (the handshake transcript, a few KB per connection) stays in JavaScript either way.
 */
export interface HostCrypto {
  /**
   * The AEADs `aeadSeal`/`aeadOpen` handle, fastest first (default: all three, AES-GCM first, as a library with
   * hardware AES runs it). Cipher suites are offered in this order, followed by the ones left to JavaScript, so a
   * server that follows the client's order picks the host's fastest. The others run in JavaScript.
   */
  aeads?: readonly AeadName[];
  /**
   * Encrypt with an AEAD of the TLS suites: `key` of 16 (AES-128-GCM) or 32 bytes, a 12-byte `nonce`, the
   * additional data `aad`. Returns the ciphertext followed by the 16-byte tag (plaintext.length + 16 bytes).
   */
  aeadSeal?(alg: AeadName, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): HostBytes;
  /**
   * Decrypt `ciphertext` (the encrypted bytes followed by the 16-byte tag): the plaintext (16 bytes shorter), or
   * null when the tag does not verify. Release no plaintext for a bad tag.
   */
  aeadOpen?(
    alg: AeadName,
    key: Uint8Array,
    nonce: Uint8Array,
    aad: Uint8Array,
    ciphertext: Uint8Array,
  ): HostBytes | null;
  /** One-shot digest (32, 48 or 64 bytes): certificate and handshake hashing. */
  hash?(alg: HashName, data: Uint8Array): HostBytes;
  /** HMAC with that hash (the TLS 1.3 key schedule and the TLS 1.2 PRF run on it). */
  hmac?(alg: HashName, key: Uint8Array, data: Uint8Array): HostBytes;
  /** The groups `keySharePublic`/`ecdh` handle (default: all three). The others run in JavaScript. */
  groups?: readonly GroupName[];
  /**
   * The public value for an ephemeral private key tickhttp made from the host's `randomBytes`: X25519, a 32-byte
   * scalar (clamp it as RFC 7748 says) giving 32 bytes; secp256r1/secp384r1, a big-endian scalar in [1, n-1] of 32/48
   * bytes giving the uncompressed point (0x04 || X || Y, 65/97 bytes).
   */
  keySharePublic?(group: GroupName, privateKey: Uint8Array): HostBytes;
  /**
   * The shared secret with the server's public value (already checked to have the wire form: 32 bytes, or an
   * uncompressed point): X25519, 32 bytes; NIST curves, the X coordinate (32/48 bytes). Null when the value is not a
   * point on the curve. An all-zero X25519 result (a small-order point) is refused by tickhttp.
   */
  ecdh?(group: GroupName, privateKey: Uint8Array, peerPublic: Uint8Array): HostBytes | null;
  /**
   * True only when `signature` is a valid `alg` signature of `data` under the key in `spki` (a DER
   * SubjectPublicKeyInfo, as OpenSSL's d2i_PUBKEY or mbedtls_pk_parse_public_key read it): certificate chains and
   * the server's handshake signature. RSA keys tickhttp refuses (a modulus under 1024 bits, an exponent that is
   * even or below 3) never get here. PSS signatures with a salt length other than the hash's are checked in
   * JavaScript.
   */
  verify?(alg: HostSignatureName, spki: Uint8Array, data: Uint8Array, signature: Uint8Array): boolean;
}
