/**
 * The name a model sees for a tool: providers allow only letters, digits, `_` and `-` (at most 64),
 * so `files.search` is offered as `files_search`.
 */
export function toolWireName(tool: string): string {
  return tool.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 64) || "tool";
}
