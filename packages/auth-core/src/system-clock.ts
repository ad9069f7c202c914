import type { Clock } from "./types.js";

/**
 * The default clock: `Date.now()`, `performance.now()` and a timer. The timer is not unref'd:
 * a call waiting between two attempts keeps a short script alive until it settles (an idle
 * client has no timer at all).
 */
export const systemClock: Required<Clock> = {
  now: () => Date.now(),
  monotonicNow: () => performance.now(),
  sleep: (ms) =>
    new Promise<void>((resolve) => {
      setTimeout(resolve, ms);
    }),
};

/** `clock` with what it lacks taken from the system clock. */
export function completeClock(clock: Clock | undefined): Required<Clock> {
  if (clock === undefined) return systemClock;
  return {
    now: () => clock.now(),
    monotonicNow: clock.monotonicNow ? () => clock.monotonicNow!() : () => clock.now(),
    sleep: clock.sleep ? (ms) => clock.sleep!(ms) : systemClock.sleep,
  };
}
