// Godot 4's TLSOptions: how a client connection verifies its server, as one value instead of Godot 3's
// (use_ssl, verify_host) arguments. Accepted by HTTPClient.connectToHost(host, port, tlsOptions) and
// HTTPRequest.setTlsOptions.
import type { TlsOptions } from './client-options.js';

/** Client TLS settings made with {@link TLSOptions.client} or {@link TLSOptions.clientUnsafe}. */
export class TLSOptions {
  private constructor(
    private readonly verify: boolean,
    private readonly chain: string,
    private readonly commonName: string,
  ) {}

  /**
   * Verify the server's certificate against `trustedChain` (PEM; empty: the platform's roots) and the host name, or
   * `commonNameOverride` when given.
   */
  static client(trustedChain = '', commonNameOverride = ''): TLSOptions {
    return new TLSOptions(true, trustedChain, commonNameOverride);
  }

  /**
   * No certificate verification at all: anyone on the path can read and change the traffic. For a server you
   * control during development only (Godot 3's `verify_host = false`).
   */
  static clientUnsafe(trustedChain = ''): TLSOptions {
    return new TLSOptions(false, trustedChain, '');
  }

  /** True for {@link clientUnsafe} options. */
  isUnsafeClient(): boolean {
    return !this.verify;
  }

  /** Always false: tickhttp has no TLS server. */
  isServer(): boolean {
    return false;
  }

  /** The PEM chain trusted instead of the platform's roots ('' for the roots). */
  getTrustedCaChain(): string {
    return this.chain;
  }

  /** The name the certificate is checked against instead of the host ('' for the host). */
  getCommonNameOverride(): string {
    return this.commonName;
  }

  /** These options in Godot 3's form: connectToHost's `verifyHost` and its TLS option bag. */
  toConnectArgs(): { verifyHost: boolean; tls: TlsOptions } {
    const tls: TlsOptions = {};
    if (this.chain) tls.trustedChain = this.chain;
    if (this.commonName) tls.commonNameOverride = this.commonName;
    return { verifyHost: this.verify, tls };
  }
}
