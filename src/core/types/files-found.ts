/** The files a response's data names: search matches, or a `files`/`paths` list (of a plan, its last step's; of an AI turn, its last tool's). */
export function filesFound(data: Record<string, unknown> | undefined): string[] {
  if (data === undefined) return [];
  const steps = data.steps;
  if (Array.isArray(steps) && steps.length > 0)
    return filesFound((steps[steps.length - 1] as { data?: Record<string, unknown> }).data);
  // An AI turn's answer carries its last tool's data as `result`.
  if (typeof data.result === "object" && data.result !== null && !Array.isArray(data.result))
    return filesFound(data.result as Record<string, unknown>);
  for (const key of ["matches", "files", "paths"]) {
    const value = data[key];
    if (!Array.isArray(value)) continue;
    return value.flatMap((item) =>
      typeof item === "string"
        ? [item]
        : typeof (item as { path?: unknown })?.path === "string"
          ? [(item as { path: string }).path]
          : [],
    );
  }
  return [];
}
