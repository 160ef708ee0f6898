import { PluginError } from "../core/errors/plugin-error.js";
import { createResponse, type Response } from "../core/types/response.js";
import type { RiskNotice } from "./tool-services.js";

/** MODERATE and confirmed DANGEROUS actions are reported with the response. */
export function riskSummary(notices: readonly RiskNotice[]): { risk?: { level: string; reasons: string[] } } {
  if (notices.length === 0) return {};
  const level = notices.some((notice) => notice.level === "DANGEROUS") ? "DANGEROUS" : "MODERATE";
  const reasons = [
    ...new Set(
      notices.flatMap((notice) => notice.reasons.map((reason) => (notice.command ? `${notice.command}: ${reason}` : reason))),
    ),
  ];
  return { risk: { level, reasons } };
}

/** Accept a full Response or a partial one from a handler; anything else is the plugin's fault. */
export function normalizeResult(result: unknown, pluginName: string, handlerName: string): Response {
  if (typeof result !== "object" || result === null || typeof (result as Response).success !== "boolean") {
    throw new PluginError(
      `The ${pluginName} plugin's ${handlerName} handler returned no response (expected {success, message})`,
      {
        code: "PLUGIN_HANDLER_FAILED",
        details: { plugin: pluginName, handler: handlerName },
      },
    );
  }
  const value = result as Partial<Response> & { success: boolean };
  return createResponse({
    success: value.success,
    message: typeof value.message === "string" ? value.message : "",
    ...(value.data === undefined || value.data === null ? {} : { data: value.data }),
    suggestions: Array.isArray(value.suggestions) ? value.suggestions.map(String) : [],
    requiresFollowup: value.requiresFollowup === true,
    metadata: typeof value.metadata === "object" && value.metadata !== null ? value.metadata : {},
  });
}
