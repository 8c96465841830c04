// @autonomys/pot has no public API yet (issue #6). It exports nothing rather than a stub.
export {};
