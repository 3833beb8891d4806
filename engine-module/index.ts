// The platform-neutral public API. Runtime-specific entries (node.ts, embedded.ts) re-export this.

export { setPlatform, getPlatform } from './platform/platform.js';
export type { Platform, PendingResolve, FileAccess, FileSink, AsyncFileAccess, AsyncFileSink } from './platform/platform.js';
export type { StreamPeer } from './net/stream-peer.js';
export type { CryptoProvider } from './tls/crypto/provider.js';
export type {
  Aead,
  AeadName,
  GroupName,
  HashName,
  HashState,
  KeyShare,
  PublicKey,
  SignatureAlgorithm,
} from './tls/crypto/provider.js';
export { pureCrypto } from './tls/crypto/pure.js';
export { verifyCertificateChain, createChainVerification } from './tls/x509/path.js';
export type { ChainVerification, ChainVerificationOptions, ChainVerificationResult } from './tls/x509/path.js';
export { CERTIFICATE_FAILURE_CODES, certificateFailureText } from './tls/x509/certificate-failure.js';
export type { CertificateFailure, CertificateFailureCode } from './tls/x509/certificate-failure.js';
export { TLS_FAILURE_CODES, describeTlsFailure } from './tls/tls-failure.js';
export type { TlsFailure, TlsFailureCode, TlsProtocolFailureCode, TransportEnd } from './tls/tls-failure.js';
export { parseCertificate } from './tls/x509/certificate.js';
export type { Certificate } from './tls/x509/certificate.js';
export type { Extensions, GeneralName, KeyUsage, NameConstraints } from './tls/x509/extensions.js';
export { pemToDer } from './bytes/pem.js';
export { HTTPClient } from './http/client.js';
export { Err, Method, Status, ResponseCode } from './http/constants.js';
export { queryStringFromDict } from './http/query-string.js';
export type { QueryValue, QueryScalar } from './http/query-string.js';
export { TLSOptions } from './http/tls-options.js';
export type { HTTPClientOptions, TlsOptions, TlsConnectParams, TlsStreamPeer, TlsWrapper } from './http/client-options.js';
export { MemoryPeer, createMemoryPipe } from './deprecated.js';
export type { MemoryPipeOptions } from './deprecated.js';
export { CONNECTION_FAILURE_CODES } from './http/failures.js';
export type { ConnectionFailure, ConnectionFailureCode, ExchangeStage } from './http/failures.js';
export type { BodyFraming } from './http/framing.js';
// ECS (bitecs) and high-level requests.
export { createHttpSystem, updateHttp, getHttp, destroyHttpSystem } from './ecs/http-system.js';
export type { HttpSystemOptions } from './ecs/http-system.js';
export type { HttpWorld } from './ecs/http-state.js';
export type { HttpComponents, ClientComponent, ProgressComponent, OutcomeComponent } from './ecs/components.js';
export type { HttpEvent, ClientStatusEvent, ClientResponseEvent, RequestDoneEvent } from './ecs/events.js';
export { attachClient, getClient } from './ecs/client-system.js';
export type { AttachClientOptions } from './ecs/client-system.js';
export { addRequest, requestSpecError, getResponse, responseText } from './ecs/request-system.js';
export type { RequestSpec, Timeouts, DownloadOptions, RequestTlsOptions, ProxyOptions, ProxyEndpoint } from './request/request-spec.js';
export type { RequestOutcome, RequestProgress } from './request/http-request.js';
export type { HttpMethod } from './request/method.js';
export type { HeaderInput } from './request/headers.js';
export type { RetryOptions } from './request/retry.js';
export type { PoolOptions } from './request/pool.js';
export type { BudgetOptions } from './request/budget.js';
export type { RequesterOptions, Requester } from './request/requester.js';
export { Result, TimeoutKind, godot4Result } from './request/result.js';
export {
  RESULT_SUCCESS,
  RESULT_CHUNKED_BODY_SIZE_MISMATCH,
  RESULT_CANT_CONNECT,
  RESULT_CANT_RESOLVE,
  RESULT_CONNECTION_ERROR,
  RESULT_SSL_HANDSHAKE_ERROR,
  RESULT_TLS_HANDSHAKE_ERROR,
  RESULT_NO_RESPONSE,
  RESULT_BODY_SIZE_LIMIT_EXCEEDED,
  RESULT_REQUEST_FAILED,
  RESULT_DOWNLOAD_FILE_CANT_OPEN,
  RESULT_DOWNLOAD_FILE_WRITE_ERROR,
  RESULT_REDIRECT_LIMIT_REACHED,
  RESULT_TIMEOUT,
  RESULT_BODY_DECOMPRESS_FAILED,
  RESULT_QUEUE_FULL,
} from './request/result.js';
// Godot's HTTPRequest node, stepped by the frame loop without ECS.
export { HTTPRequest } from './scene/http-request.js';
export type { RequestCompletedArgs } from './scene/http-request.js';
export { createHttpScene, defaultHttpScene, updateHttpRequests, closeIdleConnections } from './scene/http-scene.js';
export type { HttpScene, HttpSceneOptions } from './scene/http-scene.js';
export { requestOnce } from './scene/request-once.js';
export type { RequestOnceOptions, RequestOnceResult } from './scene/request-once.js';
export { Signal } from './scene/signal.js';
export type { ListenerErrorHandler } from './scene/signal.js';
export { createMemoryCache, createFileCache } from './request/cache.js';
export type { RevalidationCache, CacheEntry, CacheWriter, MemoryCacheOptions } from './request/cache.js';
export { StreamPeerTLS } from './tls/stream-peer-tls.js';
export type { TlsClientOptions } from './tls/stream-peer-tls.js';
export { ArrivalAllowance } from './tls/arrival-allowance.js';
export { TlsClientEngine } from './tls/engine.js';
export type { TlsEngineConfig, TlsEngineStatus } from './tls/engine.js';
export type { NegotiatedParameters } from './tls/handshake-context.js';
export { DEFAULT_TICK_MS } from './request/budget.js';
