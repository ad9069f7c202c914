import type { Clock } from "../types.js";

export interface ManualClock extends Required<Clock> {
  /** Moves time forward by `ms`: the wall clock and the monotonic clock both. */
  advance(ms: number): void;
  /** Sets the wall clock to `epochMs`, like an NTP step or a user changing the date: the monotonic clock does not move. */
  set(epochMs: number): void;
  /** Moves only the wall clock by `ms` (negative: backwards). */
  jump(ms: number): void;
}

/**
 * A clock that moves only when told: pass it to a client and to a fake provider. `sleep(ms)`
 * advances it by `ms` at once, so retries and backoff cost no real time in tests.
 */
export function createManualClock(start = Date.UTC(2026, 0, 1)): ManualClock {
  let now = start;
  let mono = 0;
  return {
    now: () => now,
    monotonicNow: () => mono,
    async sleep(ms) {
      now += ms;
      mono += ms;
    },
    advance(ms) {
      now += ms;
      mono += ms;
    },
    set(epochMs) {
      now = epochMs;
    },
    jump(ms) {
      now += ms;
    },
  };
}
