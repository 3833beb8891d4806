// Opening a connection: resolve → TCP → CONNECT tunnel (through an HTTPS proxy) → TLS. Each stage is a StreamPeer
// wrapping the one below; one poll passes through as many stages as are ready. A failed stage is a typed value.
import { PeerStatus, type StreamPeer } from '../net/stream-peer.js';
import type { PendingResolve, Platform } from '../platform/platform.js';
import type { TlsConnectParams, TlsStreamPeer, TlsWrapper } from './client-options.js';
import { ConnectTunnel } from './connect-tunnel.js';
import type { ConnectionFailure } from './failures.js';
import type { HeadLimits } from './response-head.js';
import { startTls as ownTls, trustedRootsOf } from './tls-layer.js';
import { startTlsAhead } from './work-ahead.js';

/** Where a dial goes and through what, decided once by connectToHost. */
export interface DialPlan {
  /** The name or address to resolve and connect to (the proxy's when one is used). */
  host: string;
  port: number;
  /** CONNECT authority when the connection goes through an HTTPS proxy tunnel. */
  tunnel: string | null;
  /** TLS parameters when the origin speaks TLS. */
  tls: TlsConnectParams | null;
}

/** What a dial poll gives: still going, the connected transport, or why it failed. */
export type DialProgress =
  | { kind: 'resolving' }
  | { kind: 'connecting' }
  /** `tls`: the TLS stage (the same object as `peer`) when the origin speaks TLS. */
  | { kind: 'open'; peer: StreamPeer; tls: TlsStreamPeer | null }
  | { kind: 'failed'; failure: ConnectionFailure };

const RESOLVING: DialProgress = { kind: 'resolving' };
const CONNECTING: DialProgress = { kind: 'connecting' };

/** One connection being opened. */
export class Dialer {
  private readonly resolve: PendingResolve;
  private stage: 'resolve' | 'tcp' | 'tunnel' | 'tls' = 'resolve';
  /** The outermost stage's transport, once TCP started. */
  peer: StreamPeer | null = null;
  private tls: TlsStreamPeer | null = null;
  /** The TLS parameters, with what is being done ahead for tickhttp's own TLS layer (see {@link startTlsAhead}). */
  private readonly tlsParams: TlsConnectParams | null;

  constructor(
    private readonly platform: Platform,
    private readonly plan: DialPlan,
    private readonly limits: HeadLimits,
    private readonly startTls: TlsWrapper,
  ) {
    this.resolve = platform.resolveHost(plan.host);
    const tls = plan.tls;
    this.tlsParams = tls && startTls === ownTls
      ? { ...tls, keyShare: startTlsAhead(tls.platform, () => trustedRootsOf(tls)) ?? undefined }
      : tls;
  }

  /**
   * Where the dial stands before its first poll: an address literal is CONNECTING at once, as in Godot (a failed
   * lookup is reported by the next poll). TCP itself starts at the first poll: in a fresh process creating the first
   * socket is the longest piece of connecting, too long to share a call with connectToHost's own work.
   */
  begin(): DialProgress {
    return this.stage === 'resolve' && this.resolve.status() !== 'done' ? RESOLVING : CONNECTING;
  }

  /** Advance as far as the stages are ready. Throws only on a transport bug; the caller turns that into a failure. */
  poll(): DialProgress {
    if (this.stage === 'resolve') {
      const started = this.startTcp();
      if (started.kind !== 'connecting') return started;
    }
    for (;;) {
      const peer = this.peer!;
      peer.poll?.();
      const s = peer.getStatus();
      if (s === PeerStatus.CONNECTING) return CONNECTING;
      if (s !== PeerStatus.CONNECTED) return this.failed(this.stageFailure(peer));
      if (this.stage === 'tcp' && this.plan.tunnel) {
        this.peer = new ConnectTunnel(peer, this.plan.tunnel, this.limits);
        this.stage = 'tunnel';
      } else if (this.stage !== 'tls' && this.tlsParams) {
        this.peer = this.tls = this.startTls(peer, this.tlsParams);
        this.stage = 'tls';
        // Its first poll makes the key share: in a fresh process that and starting TLS are each a frame's work.
        return CONNECTING;
      } else {
        this.peer = null;
        return { kind: 'open', peer, tls: this.tls };
      }
    }
  }

  /** Once the name is resolved, open the TCP connection. */
  private startTcp(): DialProgress {
    const resolved = this.resolve.status();
    if (resolved === 'failed') return this.failed({ code: 'cant-resolve', host: this.plan.host });
    if (resolved !== 'done') return RESOLVING;
    try {
      this.peer = this.platform.connectTcp(this.resolve.address()!, this.plan.port);
    } catch (e) {
      return this.failed({ code: 'cant-connect', host: this.plan.host, port: this.plan.port, detail: reasonOf(e) });
    }
    this.stage = 'tcp';
    return CONNECTING;
  }

  /** Give up: close whatever stage is open. */
  abort(): void {
    const peer = this.peer;
    this.peer = null;
    if (peer) closeQuietly(peer);
  }

  private stageFailure(peer: StreamPeer): ConnectionFailure {
    switch (this.stage) {
      case 'tls': {
        const tls = this.tls!.getTlsFailure?.();
        const detail = this.tls!.getTlsError() ?? 'TLS handshake failed';
        return tls ? { code: 'tls-handshake', detail, tls } : { code: 'tls-handshake', detail };
      }
      case 'tunnel':
        return { code: 'tunnel-failed', authority: this.plan.tunnel!, detail: (peer as ConnectTunnel).failure ?? 'closed' };
      default:
        return { code: 'cant-connect', host: this.plan.host, port: this.plan.port };
    }
  }

  private failed(failure: ConnectionFailure): DialProgress {
    this.abort();
    return { kind: 'failed', failure };
  }
}

/** Close a transport; one that fails to close is closed as far as the client is concerned. */
export function closeQuietly(peer: StreamPeer): void {
  try {
    peer.disconnectFromHost();
  } catch {
    // nothing more to do
  }
}

export function reasonOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
