#!/usr/bin/env node
// npm run bench: every benchmark under bench/, each reporting ratios against a baseline measured in the same run.
import { readdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv[2];
const files = (await readdir(here))
  .filter((file) => file.endsWith(".bench.mjs") && (only === undefined || file.includes(only)))
  .sort();
for (const file of files) {
  console.log(`\n# ${file.replace(".bench.mjs", "")}`);
  const benchmark = await import(pathToFileURL(path.join(here, file)).href);
  await benchmark.run();
}
