import { mkdir, mkdtemp, realpath, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { confinedWorkspaceKey } from "../core/types/user-request.js";
import { defineHandler, definePlugin } from "../plugins/define-plugin.js";
import {
  idOf,
  localDateTime,
  type ScheduleAgent,
  startScheduleAgent,
  waitFor,
} from "../tools/schedule/testing/start-schedule-agent.js";
import { UserHomes } from "./user-homes.js";

/**
 * What a confined (server) user asks to be done later runs confined too: a scheduled request is no
 * way out of the workspace. Real agent, real scheduler, real SQLite.
 */

let folder: string;
let test: ScheduleAgent | undefined;

beforeEach(async () => {
  folder = await realpath(await mkdtemp(path.join(os.tmpdir(), "astros-confined-schedules-")));
});
afterEach(async () => {
  await test?.stop();
  await rm(folder, { recursive: true, force: true });
});

describe("a confined user's scheduled request", () => {
  it("runs confined to their workspace, where ~ is their home, never with the operator's roots", async () => {
    const seen: Array<{ home: string; outside: string }> = [];
    const probe = definePlugin({
      name: "probe",
      version: "1.0.0",
      requiresPermissions: ["file_system"],
      handlers: {
        where: defineHandler({
          intent: "probe.where",
          readOnly: true,
          run: async (_args, context) => {
            const home = await context.files.resolve("~").catch((error: { code?: string }) => `refused: ${error.code}`);
            const outside = await context.files.resolve(path.join(folder, "operator.txt")).then(
              () => "allowed",
              (error: { code?: string }) => error.code ?? "refused",
            );
            seen.push({ home, outside });
            return { success: true, message: home };
          },
        }),
      },
    });
    test = await startScheduleAgent({ folder, runSchedules: true, plugins: [probe] });
    test.agent.recognizer.registerIntentHandler("probe.where", (request) =>
      request.text === "where am i" ? { confidence: 1 } : undefined,
    );
    const homes = new UserHomes(path.join(folder, "workspaces"));
    const principal = { user: { id: "bob", role: "user" }, sessionId: "login-1" } as Parameters<UserHomes["scope"]>[0];
    // The client asks for the operator's folder as its context: the server overrides it.
    const { context, confinement } = await homes.scope(principal, { cwd: folder, [confinedWorkspaceKey]: folder });
    const workspace = path.join(folder, "workspaces", "bob", "home");
    expect(context).toMatchObject({ cwd: workspace, home: workspace, [confinedWorkspaceKey]: workspace });
    await mkdir(workspace, { recursive: true });
    const created = await test.agent.processRequest(
      { text: "schedule it", userId: "bob", context },
      {
        tool: { name: "schedule.create", args: { text: "where am i", at: localDateTime(Date.now() + 200), kind: "request" } },
        ...confinement,
      },
    );
    idOf(created);
    await waitFor(() => seen.length > 0, 3000);
    expect(seen).toEqual([{ home: workspace, outside: "PATH_DENIED" }]);
  });
});
