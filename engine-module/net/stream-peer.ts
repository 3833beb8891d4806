/**
 * The byte transport every layer above speaks to, shaped like Godot's StreamPeerTCP.
 * All calls are non-blocking: a read returns what is buffered, a write returns how much was accepted.
 */
export interface StreamPeer {
  /** One of {@link PeerStatus}. NONE once the remote closed and every byte has been read. */
  getStatus(): number;
  /** Advance I/O state, if the peer needs it (called once per client poll). */
  poll?(): void;
  /** Bytes that {@link getPartialData} can return right now. */
  getAvailableBytes(): number;
  /**
   * Non-blocking read of at most `max` bytes; empty when nothing is there. The bytes may be a view of the peer's own
   * storage, valid only until the next call of this method (the Node peer reads into a ring it writes over): a
   * reader that keeps them longer copies them.
   */
  getPartialData(max: number): Uint8Array;
  /** Non-blocking write; returns the number of bytes accepted (0 when the peer is full or closed). */
  putPartialData(data: Uint8Array): number;
  /** Close the connection; the peer reports NONE afterwards. */
  disconnectFromHost(): void;
  /**
   * Have `wake` called whenever a poll could find something new: bytes arrived, the remote closed, an error, room to
   * write again. It is called from the runtime's own events, between frames, and stays until replaced (null removes
   * it). Returns false when this peer cannot tell; a driver must then poll it every frame. A peer without this method
   * cannot tell either. This lets a driver leave thousands of idle connections alone instead of polling each one.
   */
  watch?(wake: (() => void) | null): boolean;
  /**
   * Have the bytes that arrive after those held now written by the runtime straight into `target`, in order, until
   * it is full, instead of into the peer's own storage; reads then return only what was held before, and what comes
   * after `target` is full. Lets a body of known length be received where it is kept, with no copy and no work in
   * the reader's frames. False when this peer cannot (a peer without this method cannot either). A later call
   * replaces the target; closing the peer ends the landing.
   */
  landInto?(target: Uint8Array): boolean;
  /** Bytes written into landing targets since the last call (0 when none). */
  takeLanded?(): number;
  /**
   * Hold at most about `bytes` received and unread before pushing back on the sender, when that is less than the
   * peer holds by default: the runtime leaves the rest in its own buffers, copied into the game's memory only as the
   * reader catches up. For a reader that takes bytes at a bounded pace (TLS, decrypting within a share of time).
   */
  holdAtMost?(bytes: number): void;
}

/** Godot's StreamPeerTCP.Status values. */
export const enum PeerStatus {
  NONE = 0,
  CONNECTING = 1,
  CONNECTED = 2,
  ERROR = 3,
}
