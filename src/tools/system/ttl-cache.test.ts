import { describe, expect, it } from "vitest";
import { TtlCache } from "./ttl-cache.js";

describe("TtlCache", () => {
  it("returns the same object within the time to live and loads again after it", async () => {
    let now = 0;
    let loads = 0;
    const cache = new TtlCache({ now: () => now });
    const load = async () => ({ load: ++loads });
    const first = await cache.get("memory", 3_000, load);
    now = 2_999;
    expect(await cache.get("memory", 3_000, load)).toBe(first);
    now = 3_000;
    expect(await cache.get("memory", 3_000, load)).toEqual({ load: 2 });
  });

  it("shares one load between callers asking at once", async () => {
    const cache = new TtlCache();
    let loads = 0;
    const load = async () => ++loads;
    const [a, b] = await Promise.all([cache.get("k", 1_000, load), cache.get("k", 1_000, load)]);
    expect([a, b, loads]).toEqual([1, 1, 1]);
  });

  it("forgets a failed load at once, so the next call tries again", async () => {
    const cache = new TtlCache();
    await expect(cache.get("k", 60_000, async () => Promise.reject(new Error("busy")))).rejects.toThrow("busy");
    expect(await cache.get("k", 60_000, async () => "fine")).toBe("fine");
  });

  it("keeps topics apart", async () => {
    const cache = new TtlCache();
    await cache.get("a", 60_000, async () => 1);
    expect(await cache.get("b", 60_000, async () => 2)).toBe(2);
  });
});
