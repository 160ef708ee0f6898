import { afterEach, describe, expect, it } from "vitest";
import { defineHandler, definePlugin, z } from "../sdk.js";
import { AstrOSTestClient } from "../testing.js";

let client: AstrOSTestClient | undefined;
afterEach(async () => {
  await client?.stop();
  client = undefined;
});

const seen: Array<Record<string, unknown>> = [];
const weather = definePlugin({
  name: "weather",
  version: "1.0.0",
  handlers: {
    forecast: defineHandler({
      intent: "weather.forecast",
      readOnly: true,
      examples: ["will it rain tomorrow", "what's the weather in {city}", "forecast for the next {days:number} days"],
      args: z.object({ city: z.string().default("Paris"), days: z.number().int().min(1).max(14).default(1) }),
      run: async (args) => {
        seen.push(args);
        return { success: true, message: `Sunny in ${args.city} for ${args.days} days` };
      },
    }),
  },
});

describe("phrasings plugins teach the builtin engine", () => {
  it("fills a template's typed slots from the request and validates them as the handler's arguments", async () => {
    client = new AstrOSTestClient({ plugins: [weather] });
    const response = await client.processText("What's the weather in Lisbon?");
    expect(response).toMatchObject({ success: true, message: "Sunny in Lisbon for 1 days" });
    expect(await client.processText("forecast for the next 3 days")).toMatchObject({
      success: true,
      message: "Sunny in Paris for 3 days",
    });
    const tooMany = await client.processText("forecast for the next 40 days");
    expect(tooMany.success).toBe(false);
    expect(seen).toHaveLength(2);
  });

  it("matches a plain example by nearly the same words, and leaves unrelated requests alone", async () => {
    client = new AstrOSTestClient({ plugins: [weather] });
    expect((await client.processText("do you think it will rain tomorrow")).message).toBe("Sunny in Paris for 1 days");
    expect((await client.processText("buy me a raincoat")).metadata.intent).toBe("unknown");
  });
});
