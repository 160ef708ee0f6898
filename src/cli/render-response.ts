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
  const requests = response.suggestions.filter(isRequest);
  if (requests.length > 0) {
    const label = response.success ? "Next you could try" : "Try";
    output.err(colors.dim(`${label}: ${requests.map((suggestion) => `"${suggestion}"`).join(", ")}`));
  }
  for (const advice of response.suggestions.filter((suggestion) => !isRequest(suggestion))) {
    output.err(colors.dim(`Tip: ${advice}`));
  }
}

/**
 * Suggestions are of two sorts: requests to say next, written as a person says them ("what notes do I have",
 * "undo"), shown quoted to be typed; and advice, written as a sentence ("Check the name, or give the full path"),
 * shown as a tip (quoted, it would read as something to type).
 */
function isRequest(suggestion: string): boolean {
  const first = suggestion.trimStart().charAt(0);
  return first === "" || first === first.toLowerCase();
}

/** The response as a program reads it: pretty JSON on one object. */
export function responseJson(response: Response): string {
  return JSON.stringify(response, null, 2);
}
