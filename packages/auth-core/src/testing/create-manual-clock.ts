import type { Clock } from "../types.js";

export interface ManualClock extends Clock {
  /** Moves time forward (or back, with a negative value) by `ms`. */
  advance(ms: number): void;
  set(epochMs: number): void;
}

/** A clock that moves only when told: pass it to a client and to a fake provider. */
export function createManualClock(start = Date.UTC(2026, 0, 1)): ManualClock {
  let now = start;
  return {
    now: () => now,
    advance(ms) {
      now += ms;
    },
    set(epochMs) {
      now = epochMs;
    },
  };
}
