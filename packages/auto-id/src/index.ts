// @autonomys/auto-id has no public API yet (issue #9). It exports nothing rather than a stub.
export {};
