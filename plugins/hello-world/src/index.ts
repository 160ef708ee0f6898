import { BasePlugin, type HandlerResult, type Intent, pluginHandler } from "astros/sdk";

/** A simple greeting plugin: the plugin guide's first example, written against the public SDK only. */
export default class HelloWorldPlugin extends BasePlugin {
  readonly name = "hello-world";
  readonly version = "1.0.0";
  readonly description = "Responds to greetings with friendly messages and introduces AstrOS";
  readonly author = "AstrOS team";
  override readonly handles = ["greetings", "introductions"];

  @pluginHandler("greeting", {
    description: "Say hello",
    examples: ["hello", "hi there", "good morning"],
    readOnly: true,
  })
  async sayHello(intent: Intent): Promise<HandlerResult> {
    const userName = nameFrom(intent.context.user_name) ?? nameFrom(this.settings.default_name) ?? "friend";
    const key = `greetings:${intent.originalRequest.userId}`;
    const count = ((await this.storage.get<number>(key)) ?? 0) + 1;
    await this.storage.set(key, count);
    return {
      success: true,
      message: count === 1 ? `Hello, ${userName}! Welcome to AstrOS!` : `Hello again, ${userName}! Welcome back to AstrOS!`,
      data: { greeting: "hello", userName, timesGreeted: count, timestamp: intent.timestamp.toISOString() },
      suggestions: ["what can you do", "who are you"],
    };
  }

  @pluginHandler("introduction", {
    description: "Introduce AstrOS",
    examples: ["who are you", "introduce yourself", "what is astros", "tell me about yourself"],
    readOnly: true,
  })
  async introduceAstros(_intent: Intent): Promise<HandlerResult> {
    return {
      success: true,
      message:
        "I'm AstrOS, your AI-powered assistant! I can help you manage files, automate tasks, and much more through natural conversation.",
      data: { introduction: true },
      suggestions: ["what can you do"],
    };
  }
}

function nameFrom(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}
