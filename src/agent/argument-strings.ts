/** The string values of the named arguments (a string, or each string in an array). */
export function stringsIn(args: Record<string, unknown>, names: readonly string[]): string[] {
  return names.flatMap((name) => {
    const value = args[name];
    if (typeof value === "string") return [value];
    if (Array.isArray(value)) return value.filter((item): item is string => typeof item === "string");
    return [];
  });
}
