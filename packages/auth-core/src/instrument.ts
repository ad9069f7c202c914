import type { Acquisition, Instrument, StoredToken } from "./types.js";

/** The instrument of each instrumented token manager (the others have none, and no field for it). */
export const instruments = new WeakMap<object, Instrument>();

/** Each token this process fetched (not one a shared store gave it), with the token requests it took. */
export const fetchedWith = new WeakMap<StoredToken, number>();

/** `value`, after noting in an instrumented acquisition where the token came from. */
export function mark<T>(acquisition: Acquisition | undefined, source: "cache" | "store" | "stale", value: T): T {
  if (acquisition) acquisition.source = source;
  return value;
}

/** `stored`, the outcome of a token request, after noting whether this process fetched it (and in how many attempts) or another one did. */
export function acquired(acquisition: Acquisition | undefined, stored: StoredToken): StoredToken {
  const attempts = fetchedWith.get(stored);
  if (acquisition) {
    acquisition.source = attempts ? "fetched" : "store";
    if (attempts) acquisition.attempts = attempts;
  }
  return stored;
}
