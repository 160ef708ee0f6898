import { type SandboxStatus, sandboxStatus } from "../sandbox-status.js";

/** The sandbox's status for a test file, and whether its bubblewrap tests run. */
export interface SandboxForTests extends SandboxStatus {
  /** True when bubblewrap works here, and also when ASTROS_REQUIRE_SERVICES=1 (CI): then they run and fail. */
  run: boolean;
}

/**
 * Tests that need bubblewrap skip with a visible message where it is missing, except when
 * ASTROS_REQUIRE_SERVICES=1 (as CI sets for PostgreSQL and Redis): then they run, and fail, so a CI machine
 * without bubblewrap cannot pass by skipping them.
 */
export async function sandboxForTests(what: string, environment: NodeJS.ProcessEnv = process.env): Promise<SandboxForTests> {
  const status = await sandboxStatus();
  const required = environment.ASTROS_REQUIRE_SERVICES === "1";
  if (!status.available) {
    console.warn(
      required
        ? `${what} need bubblewrap, which ASTROS_REQUIRE_SERVICES=1 requires: they run and fail (${status.reason})`
        : `SKIPPED: ${what} need bubblewrap (${status.reason})`,
    );
  }
  return { ...status, run: status.available || required };
}
