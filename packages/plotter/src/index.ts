// @autonomys/plotter has no public API yet (issue #5). It exports nothing rather than a stub.
export {};
