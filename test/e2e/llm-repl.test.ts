import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, truncate, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type ScriptedLlmServer, startOpenAIServer } from "../../src/ai/scripted-llm-server.js";
import { type CliSandbox, cliPath, createCliSandbox } from "./run-cli.js";

/**
 * The REPL with a local OpenAI-compatible model configured by the environment alone (no API key),
 * answered by a scripted server on 127.0.0.1: the request runs as two tool calls, the change is
 * confirmed at the prompt, and the model's text is streamed to the terminal.
 */

let sandbox: CliSandbox;
let server: ScriptedLlmServer;

beforeEach(async () => {
  sandbox = await createCliSandbox();
  await mkdir(path.join(sandbox.home, "Downloads"));
  await mkdir(path.join(sandbox.home, "Archive"));
  // 150 MB, sparse: "large" to the builtin engine too (100 MB and up), without writing 150 MB.
  await writeFile(path.join(sandbox.home, "Downloads", "movie.mkv"), "");
  await truncate(path.join(sandbox.home, "Downloads", "movie.mkv"), 150 * 1024 * 1024);
  await writeFile(path.join(sandbox.home, "Downloads", "note.txt"), "small");
});
afterEach(async () => {
  await server?.close();
  await sandbox.dispose();
});

const request = "find large files in ~/Downloads and move them to ~/Archive";

/**
 * The REPL on a real pseudo-terminal (util-linux `script`), typed into like a person would: each
 * answer is sent once the screen shows what it answers. Returns everything the terminal showed.
 */
async function talkToRepl(env: NodeJS.ProcessEnv, exchanges: { after: string; type: string }[]): Promise<string> {
  const child = spawn("script", ["-qfec", `${JSON.stringify(process.execPath)} ${JSON.stringify(cliPath)}`, "/dev/null"], {
    cwd: sandbox.home,
    env: { ...sandbox.env, ...env, TERM: "dumb" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let screen = "";
  const waiters: { text: string; resolve: () => void }[] = [];
  child.stdout.on("data", (chunk: Buffer) => {
    screen += chunk.toString();
    for (const waiter of waiters.splice(0)) {
      if (screen.includes(waiter.text)) waiter.resolve();
      else waiters.push(waiter);
    }
  });
  const closed = new Promise<void>((resolve) => child.on("close", () => resolve()));
  let from = 0;
  for (const exchange of exchanges) {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`never saw "${exchange.after}"; the screen:\n${screen}`)), 15_000);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      if (screen.indexOf(exchange.after, from) >= 0) done();
      else waiters.push({ text: exchange.after, resolve: done });
    });
    from = screen.length;
    child.stdin.write(`${exchange.type}\r`);
  }
  await closed;
  return screen;
}

function aiEnvironment(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ASTROS_AI_PROVIDER: "local", ASTROS_AI_BASE_URL: server.url, ASTROS_AI_MODEL: "qwen2.5", ...extra };
}

describe("the REPL with a local model", () => {
  it("runs the request through the model as two tool calls, confirmed, with the answer streamed", async () => {
    const movie = path.join(sandbox.home, "Downloads", "movie.mkv");
    server = await startOpenAIServer([
      {
        text: "Looking for large files in your Downloads.",
        toolCalls: [{ name: "files_search", arguments: { path: "~/Downloads", minSize: 100 * 1024 * 1024 } }],
      },
      {
        toolCalls: [{ name: "files_move", arguments: { source: "~/Downloads", destination: "~/Archive", files: [movie] } }],
      },
      { text: "Moved movie.mkv (150 MB) from Downloads to Archive. Say undo to put it back." },
    ]);

    const screen = await talkToRepl(aiEnvironment({ ASTROS_AI_ROUTING: "llm" }), [
      { after: "astros›", type: request },
      { after: "Proceed?", type: "y" },
      { after: "Say undo to put it back.", type: "exit" },
    ]);

    expect(server.requests).toHaveLength(3);
    expect(server.requests.every((recorded) => recorded.body.stream === true)).toBe(true);
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
    expect(screen).toContain("Looking for large files in your Downloads.");
    expect(screen).toContain("→ files.search");
    expect(screen).toContain("wants to run files.move");
    expect(screen).toContain("the AI model proposed this change");
    expect(screen).toContain("→ files.move");
    expect(screen).toContain("Moved movie.mkv (150 MB) from Downloads to Archive.");
    expect(screen.indexOf("Looking for large files")).toBeLessThan(screen.indexOf("Proceed?"));
    expect(existsSync(path.join(sandbox.home, "Archive", "movie.mkv"))).toBe(true);
    expect(existsSync(path.join(sandbox.home, "Downloads", "note.txt"))).toBe(true);
  });

  it("lets the builtin engine take the same request offline when it is sure of it (hybrid routing, the default)", async () => {
    server = await startOpenAIServer([]);

    const screen = await talkToRepl(aiEnvironment(), [
      { after: "astros›", type: request },
      { after: "Proceed?", type: "y" },
      { after: "2. Moved", type: "exit" },
    ]);

    expect(server.requests).toHaveLength(0);
    expect(screen).toContain("This request is a plan of 2 steps");
    expect(existsSync(path.join(sandbox.home, "Archive", "movie.mkv"))).toBe(true);
  });

  it("says what is wrong when the local server is not running", async () => {
    server = await startOpenAIServer([]);
    const url = server.url;
    await server.close();

    const result = await sandbox.run(["write me a haiku about folders"], {
      env: { ASTROS_AI_PROVIDER: "local", ASTROS_AI_BASE_URL: url, ASTROS_AI_MODEL: "qwen2.5", ASTROS_AI_MAX_RETRIES: "0" },
    });

    expect(result.code).toBe(1);
    expect(result.stderr + result.stdout).toContain(`Could not reach the local model at ${url}`);
    expect(result.stderr + result.stdout).toContain("Is the local model server running?");
  });
});

describe("astros ai", () => {
  it("shows the configured model without its key, and checks that it answers", async () => {
    server = await startOpenAIServer([{ text: "OK", usage: { input: 12, output: 1 } }]);
    const env = { ASTROS_AI_PROVIDER: "openai", ASTROS_AI_BASE_URL: server.url, OPENAI_API_KEY: "sk-secret-e2e-1234" };

    const shown = await sandbox.run(["ai"], { env });
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain(`openai gpt-4o-mini  ${server.url}`);
    expect(shown.stdout).toContain("api key      set");
    expect(shown.stdout).not.toContain("sk-secret-e2e-1234");

    const checked = await sandbox.run(["ai", "check", "--json"], { env });
    expect(checked.code, checked.stderr).toBe(0);
    expect(JSON.parse(checked.stdout)).toMatchObject({ ok: true, provider: "openai", model: "gpt-4o-mini", tokensUsed: 13 });
    expect(server.requests[0]?.headers.authorization).toBe("Bearer sk-secret-e2e-1234");

    const failed = await sandbox.run(["ai", "check"], { env });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain("The openai API failed (HTTP 500");
  });
});
