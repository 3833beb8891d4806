// Godot's signals for scripts without a scene tree: listeners connected and disconnected by function, called in
// order when the signal is emitted, and `await signal` (Godot 4) resolving with the emitted arguments as an array.

/** Where an exception thrown by a listener goes, so it never reaches the frame loop or the other listeners. */
export type ListenerErrorHandler = (error: unknown) => void;

/** A signal carrying the arguments `Args`. */
export class Signal<Args extends unknown[]> {
  private listeners: ((...args: Args) => void)[] = [];

  constructor(private readonly onListenerError: () => ListenerErrorHandler) {}

  /** Call `listener` on every emission until disconnected. Connecting the same function again does nothing. */
  connect(listener: (...args: Args) => void): void {
    if (!this.listeners.includes(listener)) this.listeners.push(listener);
  }

  disconnect(listener: (...args: Args) => void): void {
    this.listeners = this.listeners.filter((l) => l !== listener);
  }

  isConnected(listener: (...args: Args) => void): boolean {
    return this.listeners.includes(listener);
  }

  /**
   * Call every listener connected now with `args`. A listener that throws is reported to the handler and the
   * others still run.
   */
  emit(...args: Args): void {
    for (const listener of this.listeners) {
      try {
        listener(...args);
      } catch (e) {
        this.onListenerError()(e);
      }
    }
  }

  /**
   * `await signal` (Godot 4's `await node.signal`): resolves with the arguments of the next emission, as an array.
   * Nothing resolves it if the signal is never emitted (a request refused by `request()` emits nothing).
   */
  then<T = Args, E = never>(
    onFulfilled?: ((args: Args) => T | PromiseLike<T>) | null,
    onRejected?: ((reason: unknown) => E | PromiseLike<E>) | null,
  ): Promise<T | E> {
    return new Promise<Args>((resolve) => {
      const once = (...args: Args): void => {
        this.disconnect(once);
        resolve(args);
      };
      this.connect(once);
    }).then(onFulfilled, onRejected);
  }
}
