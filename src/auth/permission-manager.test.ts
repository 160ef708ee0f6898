import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { findPostgresTestTarget } from "../store/testing/postgres-test-url.js";
import {
  type OpenTestDatabase,
  openPostgresTestDatabase,
  openSqliteFileTestDatabase,
  type TestDatabase,
} from "../store/testing/test-databases.js";
import { PermissionManager } from "./permission-manager.js";

const target = await findPostgresTestTarget();

function describePermissionManager(name: string, openTestDatabase: OpenTestDatabase) {
  describe(`PermissionManager on ${name}`, () => {
    let testDatabase: TestDatabase;
    let permissions: PermissionManager;
    beforeEach(async () => {
      testDatabase = await openTestDatabase();
      permissions = new PermissionManager({
        database: testDatabase.database,
        defaults: ["file_system", "shell"],
        now: () => 1_773_828_000_000,
      });
    });
    afterEach(async () => {
      await testDatabase.cleanup();
    });

    it("gives every user the defaults until one is revoked, and only that user loses it", async () => {
      expect(await permissions.checkPermission("ann", "shell")).toBe(true);
      expect(await permissions.checkPermission("ann", "network")).toBe(false);
      await permissions.revokePermission("ann", "shell");
      expect(await permissions.checkPermission("ann", "shell")).toBe(false);
      expect(await permissions.checkPermission("bob", "shell")).toBe(true);
      expect(await permissions.resetPermission("ann", "shell")).toBe(true);
      expect(await permissions.checkPermission("ann", "shell")).toBe(true);
      expect(await permissions.resetPermission("ann", "shell")).toBe(false);
    });

    it("grants a permission on everything or on the resources a glob matches, and a revocation beats a grant", async () => {
      await permissions.grantPermission("ann", "network", "/srv/**");
      expect(await permissions.checkPermission("ann", "network", "/srv/www/index.html")).toBe(true);
      expect(await permissions.checkPermission("ann", "network", "/etc/hosts")).toBe(false);
      expect(await permissions.checkPermission("ann", "network")).toBe(false);
      await permissions.revokePermission("ann", "file_system", "/home/ann/private/**");
      expect(await permissions.checkPermission("ann", "file_system", "/home/ann/private/.diary")).toBe(false);
      expect(await permissions.checkPermission("ann", "file_system", "/home/ann/public/a")).toBe(true);
      await permissions.grantPermission("ann", "file_system", "/home/ann/private/shared/**");
      expect(await permissions.checkPermission("ann", "file_system", "/home/ann/private/shared/a")).toBe(false);
      const matcher = await permissions.permissionMatcher("ann", "file_system");
      expect([matcher("/home/ann/private/x"), matcher("/tmp/x"), matcher()]).toEqual([false, true, true]);
    });

    it("lists a user's permissions, by permission and by the resource they apply to", async () => {
      await permissions.revokePermission("ann", "shell");
      await permissions.grantPermission("ann", "network", "/srv/**");
      await permissions.revokePermission("ann", "file_system", "/home/ann/private/**");
      expect((await permissions.listPermissions("ann")).map((entry) => [entry.permission, entry.resource, entry.source])).toEqual(
        [
          ["file_system", "*", "default"],
          ["file_system", "/home/ann/private/**", "revoked"],
          ["network", "/srv/**", "granted"],
          ["shell", "*", "revoked"],
        ],
      );
      expect((await permissions.listPermissions("ann", { permission: "network" })).map((entry) => entry.resource)).toEqual([
        "/srv/**",
      ]);
      const here = await permissions.listPermissions("ann", { resource: "/home/ann/private/notes.txt" });
      expect(here.map((entry) => [entry.permission, entry.resource])).toEqual([
        ["file_system", "*"],
        ["file_system", "/home/ann/private/**"],
        ["shell", "*"],
      ]);
    });

    it("remembers a plugin's always and deny per user until forgotten", async () => {
      expect(await permissions.consentFor("ann", "probe", "shell")).toBeUndefined();
      await permissions.recordConsent("ann", "probe", "shell", "always");
      await permissions.recordConsent("ann", "probe", "network", "deny");
      expect(await permissions.consentFor("ann", "probe", "shell")).toBe("always");
      expect(await permissions.consentFor("bob", "probe", "shell")).toBeUndefined();
      await permissions.recordConsent("ann", "probe", "shell", "deny");
      expect((await permissions.listConsents("ann")).map((consent) => [consent.permission, consent.decision])).toEqual([
        ["network", "deny"],
        ["shell", "deny"],
      ]);
      expect(await permissions.forgetConsent("ann", "probe", "network")).toBe(1);
      expect(await permissions.forgetConsent("ann", "probe")).toBe(1);
      expect(await permissions.listConsents("ann")).toEqual([]);
    });

    it("rejects malformed permission names and resources", async () => {
      await expect(permissions.grantPermission("ann", "Shell Access")).rejects.toMatchObject({ code: "REQUEST_INVALID" });
      await expect(permissions.checkPermission("ann", "")).rejects.toMatchObject({ code: "REQUEST_INVALID" });
      await expect(permissions.revokePermission("ann", "shell", "")).rejects.toMatchObject({ code: "REQUEST_INVALID" });
    });
  });
}

describePermissionManager("SQLite", openSqliteFileTestDatabase);
describe.skipIf(!target.reachable)(`on PostgreSQL at ${target.redactedUrl}`, () => {
  describePermissionManager("PostgreSQL", () => openPostgresTestDatabase({ url: target.url }));
});
