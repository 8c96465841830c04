// @autonomys/auto-score has no public API yet (issue #11). It exports nothing rather than a stub.
export {};
