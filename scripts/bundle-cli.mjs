#!/usr/bin/env node
// Finishes the build: bundles the CLI into a few files (dist/cli-bundle/) so that a cold start reads a handful of
// modules instead of hundreds: start-up time is dominated by module loading, not by our code.
// Native and optional drivers stay external. Run after `tsc -b` (npm run build does both).
import { chmodSync, mkdirSync, rmSync, symlinkSync } from "node:fs";
import { build } from "esbuild";

await build({
  entryPoints: { astros: "src/cli/program.ts" },
  outdir: "dist/cli-bundle",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: true,
  minify: true,
  keepNames: true,
  outExtension: { ".js": ".mjs" },
  // web-tree-sitter finds its .wasm next to its own module, so it must stay a real package.
  external: ["better-sqlite3", "pg", "pg-native", "web-tree-sitter", "tree-sitter-bash"],
  // Some bundled CommonJS dependencies call require() for Node built-ins.
  banner: {
    js: 'import { createRequire as __astrosCreateRequire } from "node:module"; const require = __astrosCreateRequire(import.meta.url);',
  },
  logLevel: "warning",
});

// The example plugins in plugins/ import "astros/sdk". Installed from npm they find AstrOS by walking
// up to node_modules; in a checkout this link gives them the same layout, so no resolution hooks are needed.
rmSync("plugins/node_modules/astros", { force: true, recursive: true });
mkdirSync("plugins/node_modules", { recursive: true });
symlinkSync("../..", "plugins/node_modules/astros", "dir");

// tsc writes files without the execute bit; npx runs the package's own bin directly.
chmodSync("dist/cli/main.js", 0o755);
