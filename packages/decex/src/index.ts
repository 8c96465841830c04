// @autonomys/decex has no public API yet (issue #10). It exports nothing rather than a stub.
export {};
