import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { withTimeLimit } from "./with-time-limit.js";

describe("withTimeLimit", () => {
  it("leaves no listener on the request's signal once a call is over, however many calls share it", async () => {
    const request = new AbortController();
    for (let call = 0; call < 20; call++) {
      const value = await withTimeLimit({
        milliseconds: 1_000,
        signal: request.signal,
        onTimeout: () => new Error("too slow"),
        work: async () => call,
      });
      expect(value).toBe(call);
    }
    expect(getEventListeners(request.signal, "abort")).toHaveLength(0);
  });

  it("rejects with the request's reason when it is cancelled mid-call", async () => {
    const request = new AbortController();
    const running = withTimeLimit({
      milliseconds: 10_000,
      signal: request.signal,
      onTimeout: () => new Error("too slow"),
      work: () => new Promise(() => {}),
    });
    request.abort(new Error("cancelled by the user"));
    await expect(running).rejects.toThrow("cancelled by the user");
  });
});
