import os from "node:os";
import path from "node:path";
import { resolveXdgPaths } from "../../config/xdg-paths.js";
import { auditAnchorPath } from "../../safety/audit/audit-anchor.js";
import { AuditLogger } from "../../safety/audit/audit-logger.js";
import type { Output } from "../output.js";

function auditLogger(): AuditLogger {
  const paths = resolveXdgPaths({ env: process.env, homeDirectory: os.homedir() });
  return new AuditLogger({
    file: path.join(paths.stateDirectory, "audit.log"),
    anchorFile: auditAnchorPath(paths.dataDirectory),
  });
}

/** `astros audit`: entries across every file of the log, newest last, filtered by user, session, type, outcome or request. */
export function showAudit(options: {
  output: Output;
  json: boolean;
  user?: string;
  session?: string;
  type?: string;
  outcome?: string;
  request?: string;
  limit: number;
}): number {
  const { output } = options;
  const entries = auditLogger()
    .read()
    .filter(
      (entry) =>
        (options.user === undefined || entry.userId === options.user) &&
        (options.session === undefined || entry.sessionId === options.session) &&
        (options.type === undefined || entry.type === options.type) &&
        (options.outcome === undefined || entry.outcome === options.outcome) &&
        (options.request === undefined || entry.requestId.startsWith(options.request)),
    )
    .slice(-options.limit);
  if (options.json) {
    for (const entry of entries) output.out(JSON.stringify(entry));
    return 0;
  }
  const { colors } = output;
  if (entries.length === 0) output.err(colors.dim("No audit entries match."));
  for (const entry of entries) {
    const when = new Date(entry.time).toISOString().replace("T", " ").slice(0, 19);
    const detail = Object.entries(entry.detail)
      .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`)
      .join(" ");
    output.out(
      `${colors.dim(`#${entry.seq} ${when}`)} ${entry.userId}/${entry.sessionId.slice(0, 12)} ${colors.bold(entry.type)}${entry.outcome ? ` ${entry.outcome}` : ""} ${colors.dim(detail.slice(0, 160))}`,
    );
  }
  return 0;
}

/**
 * `astros audit verify`: exit 0 when the chain is intact across every file, 1 with every problem
 * otherwise. Reading the log never adds to it (no agent is started, nothing is recorded).
 */
export function verifyAudit(options: { output: Output; json: boolean }): number {
  const logger = auditLogger();
  const result = logger.verify();
  const { output } = options;
  if (options.json) {
    output.out(JSON.stringify({ file: logger.file, ...result }, null, 2));
    return result.ok ? 0 : 1;
  }
  const files = result.files.length === 1 ? logger.file : `${logger.file} and ${result.files.length - 1} rotated file(s)`;
  const kept = result.firstSeq > 1 ? ` (history kept from entry ${result.firstSeq}: older files were removed by rotation)` : "";
  if (result.ok) output.out(output.colors.green(`✓ ${files}: ${result.entries} entries, chain intact${kept}`));
  else {
    output.err(output.colors.red(`✗ ${files}: the audit log was tampered with or damaged${kept}`));
    for (const problem of result.problems) output.err(`  ${problem}`);
  }
  return result.ok ? 0 : 1;
}
