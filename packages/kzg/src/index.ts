// @autonomys/kzg has no public API yet (issue #3). It exports nothing rather than a stub.
export {};
