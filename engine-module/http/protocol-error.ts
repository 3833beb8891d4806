/**
 * A response that breaks HTTP/1.1 framing or syntax. The codec throws it; the client catches it at its boundary and
 * turns it into STATUS_CONNECTION_ERROR, so it never reaches a game loop.
 */
export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}
