#!/usr/bin/env node
// Entry point of the `astros` command. Kept tiny: each command loads only what it needs.
import { existsSync, readFileSync } from "node:fs";
import nodeModule from "node:module";

// Node 22.1+ can cache compiled code between runs (most of a cold start is compiling); Node 20 cannot.
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();

// A reader that stops early (`astros audit | head`) closes the pipe: stop quietly, as command-line tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(0);
    throw error;
  });
}

const argumentsGiven = process.argv.slice(2);
if (argumentsGiven.length === 1 && (argumentsGiven[0] === "--version" || argumentsGiven[0] === "-V")) {
  const packageJson = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  process.stdout.write(`${packageJson.version}\n`);
} else {
  // The bundled CLI (npm run build) starts several times faster than the hundreds of separate modules.
  const bundle = new URL("../cli-bundle/astros.mjs", import.meta.url);
  const { runProgram } = (await import(existsSync(bundle) ? bundle.href : "./program.js")) as typeof import("./program.js");
  process.exitCode = await runProgram(argumentsGiven);
}
