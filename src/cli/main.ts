#!/usr/bin/env node
// Entry point of the `astros` command. Kept tiny: each command loads only what it needs.
import { readFileSync } from "node:fs";

const argumentsGiven = process.argv.slice(2);
if (argumentsGiven.length === 1 && (argumentsGiven[0] === "--version" || argumentsGiven[0] === "-V")) {
  const packageJson = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  process.stdout.write(`${packageJson.version}\n`);
} else {
  const { runProgram } = await import("./program.js");
  process.exitCode = await runProgram(argumentsGiven);
}
