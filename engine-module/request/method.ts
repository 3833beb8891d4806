// Request methods by name, as a game script writes them. The HTTP layer's numeric Method is derived at send time.

/** Methods a request may use (CONNECT is a tunnel, not a request this layer makes). */
export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE' | 'OPTIONS' | 'TRACE' | 'PATCH';

const METHODS: readonly HttpMethod[] = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'PATCH'];

/** True for a supported method name (upper case, as HTTP spells it). */
export function isHttpMethod(name: string): name is HttpMethod {
  return (METHODS as readonly string[]).includes(name);
}

/** RFC 9110 §9.2.2: repeating the request has the same effect as sending it once, so a retry is safe. */
export function isIdempotent(method: HttpMethod): boolean {
  return method !== 'POST' && method !== 'PATCH';
}
