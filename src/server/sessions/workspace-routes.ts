import { realpath } from "node:fs/promises";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { AstrOSAgent } from "../../agent/astros-agent.js";
import { principalOf } from "../authenticate.js";
import type { ServerHooks } from "../http-server.js";
import type { AgentSession } from "./agent-session-store.js";
import { matchingLines } from "./matching-lines.js";
import type { SessionManager } from "./session-manager.js";
import {
  contentQuery,
  contentReply,
  failures,
  fileSearchReply,
  grepReply,
  listQuery,
  listReply,
  searchBody,
  sessionParams,
  writeBody,
  writeReply,
} from "./session-schemas.js";
import { sessionRequest, sessionTool } from "./session-tools.js";

/** Most matches a search or grep answers with. */
const maximumMatches = 1000;

interface FoundFile {
  path: string;
  type: string;
}

/**
 * The seed's file and search routes. Every path goes through the agent's own tools (files.list,
 * files.read, files.write, files.search) confined to the session's workspace: the path guard
 * refuses anything outside it ('..', other absolute paths, links that lead out) with PATH_DENIED,
 * writes are journaled (undoable), and everything is audited like any request.
 */
export async function workspaceRoutes(
  app: FastifyInstance,
  options: { hooks: ServerHooks; sessions: SessionManager; agent: AstrOSAgent },
) {
  const { hooks, sessions, agent } = options;
  const api = app.withTypeProvider<ZodTypeProvider>();
  const common = { tags: ["Sessions"], security: [{ bearer: [] }] };
  const bodyLimit = agent.config.server.body_limit;

  api.get(
    "/api/sessions/:session_id/files",
    {
      onRequest: hooks.authenticated,
      schema: {
        ...common,
        summary: "List a folder of the session's workspace",
        params: sessionParams,
        querystring: listQuery,
        response: { 200: listReply, ...failures },
      },
    },
    async (request) => {
      const session = await sessions.owned(principalOf(request).user.id, request.params.session_id);
      const asked = request.query.path;
      const response = await sessionTool(
        agent,
        session,
        { name: "files.list", args: { path: asked, hidden: true } },
        `list ${asked}`,
      );
      const entries = (response.data?.entries ?? []) as { name: string; type: string; size: number; modified: Date | string }[];
      return {
        path: asked,
        items: entries.map((entry) => ({
          name: entry.name,
          type: entry.type as "file" | "directory" | "symlink" | "other",
          size: entry.type === "directory" ? null : entry.size,
          modified: new Date(entry.modified).toISOString(),
        })),
      };
    },
  );

  api.get(
    "/api/sessions/:session_id/files/content",
    {
      onRequest: hooks.authenticated,
      schema: {
        ...common,
        summary: "Read a text file of the session's workspace",
        params: sessionParams,
        querystring: contentQuery,
        response: { 200: contentReply, ...failures },
      },
    },
    async (request) => {
      const session = await sessions.owned(principalOf(request).user.id, request.params.session_id);
      const asked = request.query.path;
      const response = await sessionTool(agent, session, { name: "files.read", args: { path: asked } }, `read ${asked}`);
      return { path: asked, content: response.message };
    },
  );

  api.post(
    "/api/sessions/:session_id/files/content",
    {
      onRequest: hooks.authenticated,
      schema: {
        ...common,
        summary: "Write a text file in the session's workspace (journaled: undo puts back what it replaced)",
        params: sessionParams,
        body: writeBody(bodyLimit),
        response: { 200: writeReply, ...failures },
      },
    },
    async (request) => {
      const session = await sessions.owned(principalOf(request).user.id, request.params.session_id);
      const { path: asked, content } = request.body;
      const response = await sessionTool(
        agent,
        session,
        { name: "files.write", args: { path: asked, content } },
        `write ${asked}`,
      );
      const operationId = response.metadata.operationId;
      return {
        message: `File ${asked} written successfully`,
        ...(typeof operationId === "string" ? { operation_id: operationId } : {}),
      };
    },
  );

  api.post(
    "/api/sessions/:session_id/search/files",
    {
      onRequest: hooks.authenticated,
      schema: {
        ...common,
        summary: "Find files by name (a glob like *.py, or part of the name) under a folder of the workspace",
        params: sessionParams,
        body: searchBody,
        response: { 200: fileSearchReply, ...failures },
      },
    },
    async (request) => {
      const session = await sessions.owned(principalOf(request).user.id, request.params.session_id);
      const { pattern, path: asked, file_types } = request.body;
      const found = await search(session, { path: asked, ...nameFilter(pattern), ...extensionFilter(file_types) });
      const root = await realpath(session.workdir);
      return {
        pattern,
        path: asked,
        matches: found.files.map((file) => relative(root, file.path)),
        truncated: found.truncated,
      };
    },
  );

  api.post(
    "/api/sessions/:session_id/search/grep",
    {
      onRequest: hooks.authenticated,
      schema: {
        ...common,
        summary: "Find the lines containing a text (case aside) in the files under a folder of the workspace",
        description:
          "The pattern is plain text, matched case-insensitively, as AstrOS's content search does; binary files are skipped.",
        params: sessionParams,
        body: searchBody,
        response: { 200: grepReply, ...failures },
      },
    },
    async (request) => {
      const session = await sessions.owned(principalOf(request).user.id, request.params.session_id);
      const { pattern, path: asked, file_types } = request.body;
      const found = await search(session, { path: asked, content: pattern, ...extensionFilter(file_types) });
      const root = await realpath(session.workdir);
      const call = { request: sessionRequest(session, `grep ${pattern}`), workspace: session.workdir, confined: true };
      const matches: { file: string; line: number; content: string }[] = [];
      let truncated = found.truncated;
      for (const file of found.files) {
        if (file.type !== "file") continue;
        if (matches.length >= maximumMatches) {
          truncated = true;
          break;
        }
        // Found by the guarded search; checked again here because the file is read now.
        const verdict = await agent.safety.checkPath(file.path, call);
        if (!verdict.allowed) continue;
        const lines = await matchingLines(verdict.realPath, pattern, maximumMatches - matches.length + 1).catch(() => []);
        for (const line of lines) matches.push({ file: relative(root, file.path), ...line });
      }
      if (matches.length > maximumMatches) {
        matches.length = maximumMatches;
        truncated = true;
      }
      return { pattern, path: asked, matches, truncated };
    },
  );

  /** files.search in the session: the files it found (absolute) and whether there were more. */
  async function search(session: AgentSession, args: Record<string, unknown>) {
    const response = await sessionTool(
      agent,
      session,
      { name: "files.search", args: { ...args, limit: maximumMatches } },
      `search ${JSON.stringify(args)}`,
    );
    const data = response.data ?? {};
    return { files: (data.matches ?? []) as FoundFile[], truncated: data.truncated === true };
  }
}

/** The search's name filter: a glob or part of a name; "*" means any. */
function nameFilter(pattern: string): { name?: string } {
  const trimmed = pattern.trim();
  return trimmed === "" || trimmed === "*" || trimmed === "*.*" ? {} : { name: trimmed };
}

/** The seed's `file_types` ("*.py,*.js") as the search's extensions; "*" means any. */
function extensionFilter(fileTypes: string | string[] | undefined): { ext?: string[] } {
  if (fileTypes === undefined) return {};
  const list = (typeof fileTypes === "string" ? fileTypes.split(/[,\s]+/) : fileTypes)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  if (list.length === 0 || list.some((entry) => entry === "*" || entry === "*.*")) return {};
  return { ext: list };
}

function relative(root: string, file: string): string {
  return path.relative(root, file) || ".";
}
