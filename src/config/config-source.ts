/** Where a configuration value came from, so errors can point at it. */
export type ConfigSource =
  | { kind: "file"; filePath: string }
  | { kind: "environment"; variable?: string }
  | { kind: "overrides" }
  | { kind: "defaults" };

/** The source as a person reads it in a message: a file path, `environment variable ASTROS_DEBUG`, `overrides`. */
export function describeConfigSource(source: ConfigSource): string {
  switch (source.kind) {
    case "file":
      return source.filePath;
    case "environment":
      return source.variable === undefined ? "the environment" : `environment variable ${source.variable}`;
    case "overrides":
      return "overrides";
    case "defaults":
      return "defaults";
  }
}

/** The source as a short identifier for structured details: the file path, the variable name, `overrides`. */
export function identifyConfigSource(source: ConfigSource): string {
  switch (source.kind) {
    case "file":
      return source.filePath;
    case "environment":
      return source.variable ?? "environment";
    case "overrides":
      return "overrides";
    case "defaults":
      return "defaults";
  }
}
