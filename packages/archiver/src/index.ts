// @autonomys/archiver has no public API yet (issue #4). It exports nothing rather than a stub.
export {};
