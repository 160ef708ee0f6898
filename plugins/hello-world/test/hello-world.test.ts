import { AstrOSTestClient } from "astros/testing";
import { afterEach, describe, expect, it } from "vitest";
import HelloWorldPlugin from "../src/index.js";

let client: AstrOSTestClient | undefined;
afterEach(async () => {
  await client?.stop();
  client = undefined;
});

describe("hello-world plugin", () => {
  it("greets the user by the name in the request context", async () => {
    client = new AstrOSTestClient({ plugins: [HelloWorldPlugin] });
    const response = await client.processText("hello", { context: { user_name: "Ada" } });
    expect(response.success).toBe(true);
    expect(response.message).toBe("Hello, Ada! Welcome to AstrOS!");
    expect(response.data).toMatchObject({ greeting: "hello", userName: "Ada", timesGreeted: 1 });
    expect(response.metadata).toMatchObject({ plugin: "hello-world", handler: "sayHello" });
  });

  it("falls back to the configured default name, then to 'friend'", async () => {
    client = new AstrOSTestClient({ plugins: [HelloWorldPlugin], settings: { "hello-world": { default_name: "captain" } } });
    expect((await client.processText("hi there!")).message).toBe("Hello, captain! Welcome to AstrOS!");
    await client.stop();
    client = new AstrOSTestClient({ plugins: [HelloWorldPlugin] });
    expect((await client.processText("Good morning")).message).toBe("Hello, friend! Welcome to AstrOS!");
  });

  it("remembers each user it has greeted in its plugin storage", async () => {
    client = new AstrOSTestClient({ plugins: [HelloWorldPlugin] });
    await client.processText("hello", { userId: "ada", context: { user_name: "Ada" } });
    const again = await client.processText("hello", { userId: "ada", context: { user_name: "Ada" } });
    expect(again.message).toBe("Hello again, Ada! Welcome back to AstrOS!");
    expect(again.data?.timesGreeted).toBe(2);
    const other = await client.processText("hello", { userId: "bob", context: { user_name: "Bob" } });
    expect(other.data?.timesGreeted).toBe(1);
  });

  it("introduces AstrOS when asked who it is", async () => {
    client = new AstrOSTestClient({ plugins: [HelloWorldPlugin] });
    for (const text of ["who are you?", "Introduce yourself", "what is AstrOS"]) {
      const response = await client.processText(text);
      expect(response.success, text).toBe(true);
      expect(response.message).toMatch(/^I'm AstrOS/);
      expect(response.data).toEqual({ introduction: true });
    }
  });

  it("declares read-only handlers with examples for the recognizer and help", async () => {
    client = new AstrOSTestClient({ plugins: [HelloWorldPlugin] });
    const help = await client.processText("help");
    const capabilities = help.data?.capabilities as { intent: string; plugin: string }[];
    const ours = capabilities.filter((capability) => capability.plugin === "hello-world");
    expect(ours.map((capability) => capability.intent).sort()).toEqual(["greeting", "introduction"]);
    expect(new HelloWorldPlugin().listHandlers().every((handler) => handler.readOnly)).toBe(true);
  });
});
