import path from "node:path";
import { describe, expect, it } from "vitest";
import { configSchema } from "../../config/config-schema.js";
import { resolveXdgPaths } from "../../config/xdg-paths.js";
import { astrosStatePlaces } from "./astros-state.js";
import { EffectPolicy } from "./effect-policy.js";

describe("AstrOS's state, as the effect policy protects it", () => {
  it("names every part of AstrOS's state where the configuration and XDG put it, and the policy refuses to destroy each", () => {
    const xdgPaths = resolveXdgPaths({
      env: { XDG_DATA_HOME: "/srv/xdg/data", XDG_STATE_HOME: "/srv/xdg/state" },
      homeDirectory: "/home/ada",
    });
    const config = configSchema.parse({
      database: { url: "sqlite:///var/lib/astros/main.db" },
      server: { token_key_file: "/etc/astros/token.key", workspaces: "/srv/workspaces" },
      credentials: { key_file: "/home/ada/.config/astros/credentials.key", file: "/home/ada/vault.enc" },
    });
    const places = astrosStatePlaces({ xdgPaths, config, journalDirectory: "/srv/journal" });
    const byWhat = Object.fromEntries(places.map((place) => [place.what, place.path]));
    expect(byWhat).toMatchObject({
      configuration: "/home/ada/.config/astros",
      data: "/srv/xdg/data/astros",
      state: "/srv/xdg/state/astros",
      database: "/var/lib/astros/main.db",
      journal: "/srv/journal",
      trash: "/srv/xdg/data/Trash",
      "audit log": path.join("/srv/xdg/state/astros", "audit.log"),
      "token-signing key": "/etc/astros/token.key",
      "credential store": "/home/ada/vault.enc",
      "users' workspaces": "/srv/workspaces",
    });
    const policy = new EffectPolicy({ homeDirectory: "/home/ada", lexical: true, state: places });
    for (const place of places) {
      expect(policy.judge([{ kind: "delete", path: place.path }]).verdict, place.what).toBe("deny");
    }
    expect(policy.judge([{ kind: "delete", path: "/srv/xdg" }]).reasons[0]).toMatch(/^deletes \/srv\/xdg, which holds AstrOS's/);
    expect(policy.judge([{ kind: "overwrite", path: "/home/ada/vault.enc" }]).verdict).toBe("deny");
    expect(policy.judge([{ kind: "delete", path: "/home/ada/vault.txt" }]).verdict).toBe("allow");
  });
});
