// @autonomys/dsn has no public API yet (issue #8). It exports nothing rather than a stub.
export {};
