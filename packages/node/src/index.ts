// @autonomys/node has no public API yet (issue #7). It exports nothing rather than a stub.
export {};
