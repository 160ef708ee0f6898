import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const source = (file: string) => fileURLToPath(new URL(`./src/${file}`, import.meta.url));

export default defineConfig({
  resolve: {
    // Plugins import the SDK by its package name; in tests it is the source tree.
    alias: [
      { find: /^astros\/sdk$/, replacement: source("sdk.ts") },
      { find: /^astros\/testing$/, replacement: source("testing.ts") },
      { find: /^astros$/, replacement: source("index.ts") },
    ],
  },
  esbuild: { target: "es2022" },
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts", "plugins/*/test/**/*.test.ts"],
    // The run's own HOME, XDG folders and TMPDIR: no test writes into the person's home or leaves files in /tmp.
    globalSetup: ["test/test-home.ts"],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: "forks",
    // Test plugins written under a temporary node_modules must go through the aliases above too.
    server: { deps: { inline: [/astros-plugins-[^/]+\/node_modules\//] } },
  },
});
