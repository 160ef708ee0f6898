#!/usr/bin/env node
// Finishes the build: bundles the CLI into a few files (dist/cli-bundle/) so that a cold start reads a handful of
// modules instead of hundreds: start-up time is dominated by module loading, not by our code.
// Native and optional drivers stay external. Run after `tsc -b` (npm run build does both).
import { chmodSync, mkdirSync, rmSync, symlinkSync } from "node:fs";
import { build } from "esbuild";

/** What both bundles share: minified ESM for Node 20 with source maps. */
const common = {
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: true,
  minify: true,
  keepNames: true,
  outExtension: { ".js": ".mjs" },
  logLevel: "warning",
};

// zod's classic API re-exports every message locale (about 250 KB): AstrOS itself speaks English, so its
// own bundle keeps only that one (the SDK bundle that plugins load keeps them all).
const englishZodOnly = {
  name: "english-zod-only",
  setup(build) {
    build.onResolve({ filter: /locales\/index\.js$/ }, (args) =>
      /zod[\\/]v4[\\/](?:classic|core)[\\/]/.test(args.importer) ? { path: "zod-locales-en", namespace: "astros" } : undefined,
    );
    build.onLoad({ filter: /^zod-locales-en$/, namespace: "astros" }, () => ({
      contents: 'export { default as en } from "zod/v4/locales/en.js";',
      resolveDir: process.cwd(),
    }));
  },
};

// Chunk names carry content hashes: clear the old ones so they do not pile up.
rmSync("dist/cli-bundle", { force: true, recursive: true });
const result = await build({
  ...common,
  entryPoints: { astros: "src/cli/program.ts" },
  outdir: "dist/cli-bundle",
  splitting: true,
  // web-tree-sitter finds its .wasm next to its own module, so it must stay a real package.
  // The server's framework and plugins find files next to their own modules (swagger-ui's assets),
  // and argon2 is a native addon: they stay real packages, loaded only by `astros serve`.
  external: [
    "better-sqlite3",
    "pg",
    "pg-native",
    "web-tree-sitter",
    "tree-sitter-bash",
    "fastify",
    "@fastify/*",
    "fastify-type-provider-zod",
    "prom-client",
    "ws",
    "@node-rs/argon2",
  ],
  // Some bundled CommonJS dependencies call require() for Node built-ins.
  banner: {
    js: 'import { createRequire as __astrosCreateRequire } from "node:module"; const require = __astrosCreateRequire(import.meta.url);',
  },
  plugins: [englishZodOnly],
  metafile: process.env.ASTROS_BUNDLE_REPORT === "1",
});
if (result.metafile !== undefined) {
  const { analyzeMetafile } = await import("esbuild");
  console.log(await analyzeMetafile(result.metafile));
}

// The plugin SDK (`astros/sdk`) as one file too: a plugin loaded at start would otherwise pull in the
// SDK's modules and zod's one by one (about 75 ms here). Brands use Symbol.for, so this copy and the
// host's own recognise each other's plugins and errors.
rmSync("dist/sdk-bundle", { force: true, recursive: true });
// Its WebSocket client loads `ws` only when a socket is opened; it stays the host's real package.
await build({ ...common, entryPoints: { sdk: "src/sdk.ts" }, outdir: "dist/sdk-bundle", external: ["ws"] });

// The example plugins in plugins/ import "astros/sdk". Installed from npm they find AstrOS by walking
// up to node_modules; in a checkout this link gives them the same layout, so no resolution hooks are needed.
rmSync("plugins/node_modules/astros", { force: true, recursive: true });
mkdirSync("plugins/node_modules", { recursive: true });
symlinkSync("../..", "plugins/node_modules/astros", "dir");

// tsc writes files without the execute bit; npx runs the package's own bin directly.
chmodSync("dist/cli/main.js", 0o755);
