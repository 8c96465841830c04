/**
 * Temporary bans with exponential backoff (C.1): the first ban of a peer lasts 5 s, each further
 * one twice as long, up to 30 min.
 */
import { BAN_INITIAL_MS, BAN_MAX_MS } from './constants.js';

export interface BanEntry {
  readonly untilMs: number;
  readonly count: number;
  readonly reason: string;
}

export class BanList {
  private readonly entries = new Map<string, BanEntry>();
  constructor(
    private readonly initialMs = BAN_INITIAL_MS,
    private readonly maxMs = BAN_MAX_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Bans `peer` (a peer id string); returns the entry. */
  ban(peer: string, reason: string): BanEntry {
    const prev = this.entries.get(peer);
    const count = (prev?.count ?? 0) + 1;
    const ms = Math.min(this.maxMs, this.initialMs * 2 ** Math.min(count - 1, 30));
    const entry = { untilMs: this.now() + ms, count, reason };
    this.entries.set(peer, entry);
    return entry;
  }

  /** The active ban of `peer`, if any. */
  banned(peer: string): BanEntry | undefined {
    const e = this.entries.get(peer);
    return e !== undefined && e.untilMs > this.now() ? e : undefined;
  }

  isBanned(peer: string): boolean {
    return this.banned(peer) !== undefined;
  }
}
