/**
 * Node 20 support for the js-libp2p 2.x dependency tree: several of its modules (it-queue,
 * mortice, @multiformats/multiaddr, it-byte-stream, ...) call `Promise.withResolvers` (ES2024,
 * Node 22+) without declaring an engine. This installs the standard behaviour when it is missing;
 * it never replaces an existing implementation.
 */
type WithResolvers = <T>() => {
  promise: Promise<T>;
  resolve: (value: T | PromiseLike<T>) => void;
  reject: (reason?: unknown) => void;
};

/**
 * Installs `Promise.withResolvers` when the runtime lacks it (idempotent). Called from the modules that
 * need it, not run as a bare import: the package declares its modules free of side effects, so a
 * bundler (tsup's esbuild included) drops a side-effect-only import, which left the published build
 * without it on Node 20.
 */
export function installPromiseWithResolvers(): void {
  const P = Promise as unknown as { withResolvers?: WithResolvers };
  if (typeof P.withResolvers === 'function') return;
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers<T>() {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}
