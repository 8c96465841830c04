// @autonomys/dag has no public API yet (issue #12). It exports nothing rather than a stub.
export {};
