import type { Response } from "../core/types/response.js";
import type { Output } from "./output.js";

/** Show a response to a person: the message, what went wrong, and what to try next. */
export function renderResponse(response: Response, output: Output, options: { streamed?: boolean } = {}): void {
  const { colors } = output;
  if (response.success) {
    if (!options.streamed) output.out(response.message);
  } else {
    // "Not understood" is an answer, not a fault: no error code for it.
    const code = response.metadata.error?.code === "INTENT_UNKNOWN" ? undefined : response.metadata.error?.code;
    output.err(colors.red(response.message) + (code === undefined ? "" : colors.dim(` [${code}]`)));
  }
  const risk = response.metadata.risk;
  if (risk !== undefined) {
    output.err(colors.yellow(`note: ${risk.level.toLowerCase()} risk: ${risk.reasons.join("; ")}`));
  }
  if (response.suggestions.length > 0) {
    const label = response.success ? "Next you could try" : "Try";
    output.err(colors.dim(`${label}: ${response.suggestions.map((suggestion) => `"${suggestion}"`).join(", ")}`));
  }
}

/** The response as a program reads it: pretty JSON on one object. */
export function responseJson(response: Response): string {
  return JSON.stringify(response, null, 2);
}
