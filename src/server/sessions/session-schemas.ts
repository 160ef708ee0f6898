import { z } from "zod";
import { errorBody } from "../api-error.js";

/** The wire shapes of the agent-session API (the seed's field names), for validation and the OpenAPI document. */

/** Session ids are short random url-safe strings. */
export const sessionIdPattern = /^[A-Za-z0-9_-]{1,64}$/;

export const sessionParams = z.object({
  session_id: z.string().regex(sessionIdPattern).describe("The session's id"),
});

export const processParams = sessionParams.extend({
  pid: z.coerce.number().int().min(1).max(2_147_483_647).describe("The process id, as listed"),
});

/** A path as the client names it: relative to the workspace (or absolute inside it). */
export const workspacePath = z.string().min(1).max(4096);

const task = z.string().trim().min(1).max(100_000).describe("What to do, in your own words");

export const sessionInfo = z
  .object({
    session_id: z.string(),
    container_id: z.null().describe("Always null: sessions are isolated with bubblewrap, not containers"),
    workdir: z
      .string()
      .describe(
        "The session's workspace, as the client names it: always `~` (paths are relative to it; its place on the server is never shown)",
      ),
    created: z.string().describe("ISO 8601"),
    last_task: z.string().nullable(),
    status: z.string().describe("active"),
    container_status: z.null().describe("Always null: there is no container"),
  })
  .describe("An agent session");

/** Optional as a whole: the seed's clients may send no body (fastify gives null then). */
export const createSessionBody = z
  .object({ task: task.optional().describe("A first task to start at once") })
  .strict()
  .nullish();

export const taskBody = z.object({ task }).strict();

export const taskStarted = z.object({ message: z.string(), task: z.string() });

export const messageReply = z.object({ message: z.string() });

export const processInfo = z.object({
  pid: z.number(),
  cmd: z.string(),
  status: z.enum(["running", "exited", "stopped"]),
  log: z.string().describe("The log file, relative to the workspace"),
  started: z.string().describe("ISO 8601"),
  exit_code: z.number().nullable().describe("Null while running, or when a signal ended it"),
  ended: z.string().nullable().describe("ISO 8601; null while running"),
});

export const logsQuery = z.object({
  lines: z.coerce.number().int().min(1).max(10_000).default(50).describe("How many of the last lines"),
});

export const logsReply = z.object({ logs: z.string(), pid: z.number() });

export const listQuery = z.object({ path: workspacePath.default(".").describe("The folder to list") });

export const listReply = z.object({
  path: z.string(),
  items: z.array(
    z.object({
      name: z.string(),
      type: z.enum(["file", "directory", "symlink", "other"]),
      size: z.number().nullable().describe("Bytes; null for folders"),
      modified: z.string().describe("ISO 8601"),
    }),
  ),
});

export const contentQuery = z.object({ path: workspacePath.describe("The file to read") });

export const contentReply = z.object({ path: z.string(), content: z.string() });

export function writeBody(maximumBytes: number) {
  return z.object({ path: workspacePath, content: z.string().max(maximumBytes) }).strict();
}

export const writeReply = z.object({
  message: z.string(),
  operation_id: z.string().optional().describe("The journal operation: `astros undo` reverts the write"),
});

export const searchBody = z
  .object({
    pattern: z.string().min(1).max(1000),
    path: workspacePath.default("."),
    file_types: z
      .union([z.string().max(1000), z.array(z.string().max(100)).max(100)])
      .optional()
      .describe('Extensions to look in, as "*.py,*.js" (or a list)'),
  })
  .strict();

export const fileSearchReply = z.object({
  pattern: z.string(),
  path: z.string(),
  matches: z.array(z.string()).describe("Paths relative to the workspace"),
  truncated: z.boolean().describe("True when there were more matches than listed"),
});

export const grepReply = z.object({
  pattern: z.string(),
  path: z.string(),
  matches: z.array(z.object({ file: z.string(), line: z.number(), content: z.string() })),
  truncated: z.boolean().describe("True when there were more matches than listed"),
});

export const shellBody = z
  .object({
    cmd: z.string().trim().min(1).max(100_000),
    tty: z.boolean().optional().describe("Accepted for the seed's clients; commands run without a terminal"),
    background: z.boolean().optional().describe("Start it as a tracked process and answer at once"),
  })
  .strict();

export const shellReply = z.union([
  z.object({
    command: z.string(),
    output: z.string(),
    exit_code: z.number().nullable(),
    timestamp: z.string(),
  }),
  z.object({
    command: z.string(),
    pid: z.number(),
    log: z.string(),
    timestamp: z.string(),
  }),
]);

/** The error answers every session route may give. */
export const failures = {
  400: errorBody,
  401: errorBody,
  403: errorBody,
  404: errorBody,
  409: errorBody,
  428: errorBody,
  429: errorBody,
} as const;
