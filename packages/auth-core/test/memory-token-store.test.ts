import { describe, expect, it } from "vitest";
import { createMemoryTokenStore } from "../src/memory-token-store.js";
import { createManualClock } from "../src/testing/create-manual-clock.js";
import type { StoredToken } from "../src/types.js";

function token(accessToken: string): StoredToken {
  return { accessToken, tokenType: "Bearer", obtainedAt: 0, expiresAt: 1, scopes: ["a"] };
}

describe("createMemoryTokenStore", () => {
  it("returns undefined for a key never set", async () => {
    const store = createMemoryTokenStore({ clock: createManualClock() });
    expect(await store.get("missing")).toBeUndefined();
  });

  it("returns what was set, per key", async () => {
    const store = createMemoryTokenStore({ clock: createManualClock() });
    await store.set("k1", token("one"), 60_000);
    await store.set("k2", token("two"), 60_000);
    expect((await store.get("k1"))?.accessToken).toBe("one");
    expect((await store.get("k2"))?.accessToken).toBe("two");
  });

  it("replaces the entry on a second set", async () => {
    const store = createMemoryTokenStore({ clock: createManualClock() });
    await store.set("k", token("old"), 60_000);
    await store.set("k", token("new"), 60_000);
    expect((await store.get("k"))?.accessToken).toBe("new");
  });

  it("deletes one key and leaves the others", async () => {
    const store = createMemoryTokenStore({ clock: createManualClock() });
    await store.set("k1", token("one"), 60_000);
    await store.set("k2", token("two"), 60_000);
    await store.delete("k1");
    expect(await store.get("k1")).toBeUndefined();
    expect((await store.get("k2"))?.accessToken).toBe("two");
    await expect(store.delete("never-set")).resolves.toBeUndefined();
  });

  it("drops an entry once its ttl has passed on the injected clock", async () => {
    const clock = createManualClock();
    const store = createMemoryTokenStore({ clock });
    await store.set("k", token("t"), 10_000);

    clock.advance(9_999);
    expect((await store.get("k"))?.accessToken).toBe("t");
    clock.advance(1);
    expect(await store.get("k")).toBeUndefined();
    // Gone for good, even if the clock is moved back.
    clock.advance(-5_000);
    expect(await store.get("k")).toBeUndefined();
  });

  it("treats a ttl of zero or below as already expired", async () => {
    const clock = createManualClock();
    const store = createMemoryTokenStore({ clock });
    await store.set("zero", token("t"), 0);
    await store.set("negative", token("t"), -1_000);
    expect(await store.get("zero")).toBeUndefined();
    expect(await store.get("negative")).toBeUndefined();
  });

  it("keeps separate stores separate", async () => {
    const clock = createManualClock();
    const a = createMemoryTokenStore({ clock });
    const b = createMemoryTokenStore({ clock });
    await a.set("k", token("t"), 60_000);
    expect(await b.get("k")).toBeUndefined();
  });

  it("works with the default clock", async () => {
    const store = createMemoryTokenStore();
    await store.set("k", token("t"), 3_600_000);
    expect((await store.get("k"))?.accessToken).toBe("t");
    await store.set("gone", token("t"), 0);
    expect(await store.get("gone")).toBeUndefined();
  });

  it("keeps a token obtained later than the one a late writer offers (a paused process cannot undo a renewal)", async () => {
    const store = createMemoryTokenStore({ clock: createManualClock() });
    await store.set("k", { ...token("newer"), obtainedAt: 2_000 }, 60_000);
    await store.set("k", { ...token("older"), obtainedAt: 1_000 }, 60_000);
    expect((await store.get("k"))?.accessToken).toBe("newer");
  });

  it("delete(key, accessToken) deletes only that token", async () => {
    const store = createMemoryTokenStore({ clock: createManualClock() });
    await store.set("k", token("current"), 60_000);
    await store.delete("k", "revoked-earlier");
    expect((await store.get("k"))?.accessToken).toBe("current");
    await store.delete("k", "current");
    expect(await store.get("k")).toBeUndefined();
  });
});
