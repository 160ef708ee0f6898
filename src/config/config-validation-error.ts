import type * as z from "zod";
import { ConfigError } from "../core/errors/config-error.js";
import { type ConfigSource, describeConfigSource, identifyConfigSource } from "./config-source.js";
import { type ConfigProblem, describeConfigIssue } from "./describe-config-issue.js";
import { formatKeyPath } from "./format-key-path.js";
import type { MergedConfig } from "./merge-config-layers.js";

export interface CreateConfigValidationErrorOptions {
  /** What validation found, at least one. */
  issues: readonly z.core.$ZodIssue[];
  /** The merged values that were validated and where each came from. */
  merged: MergedConfig;
  schema: z.core.$ZodType;
}

interface LocatedProblem extends ConfigProblem {
  source: ConfigSource;
  key: string;
}

/**
 * One ConfigError (CONFIG_INVALID) for every problem validation found, each naming its source (file,
 * environment variable or overrides), its key and what is wrong, one per line.
 * `details` holds the first problem's `source` and `key` and the full list as `problems`.
 */
export function createConfigValidationError({ issues, merged, schema }: CreateConfigValidationErrorOptions): ConfigError {
  const problems: LocatedProblem[] = issues
    .flatMap((issue) => describeConfigIssue({ issue, values: merged.values, schema }))
    .map((problem) => ({ ...problem, source: merged.sourceAt(problem.keyPath), key: formatKeyPath(problem.keyPath) }));
  const [first] = problems;
  if (first === undefined) return new ConfigError("Invalid configuration", { code: "CONFIG_INVALID" });

  const describe = (problem: LocatedProblem) => `${describeConfigSource(problem.source)}: ${problem.key}: ${problem.message}`;
  const message =
    problems.length === 1
      ? `Invalid configuration in ${describe(first)}`
      : [`Invalid configuration (${problems.length} problems):`, ...problems.map((problem) => `  in ${describe(problem)}`)].join(
          "\n",
        );
  const recovery = problems.length === 1 ? recoveryFor(first) : "Fix each problem listed above.";
  return new ConfigError(message, {
    code: "CONFIG_INVALID",
    recovery,
    details: {
      source: identifyConfigSource(first.source),
      key: first.key,
      problems: problems.map((problem) => ({
        source: identifyConfigSource(problem.source),
        key: problem.key,
        message: problem.message,
      })),
    },
  });
}

function recoveryFor(problem: LocatedProblem): string {
  const { source, key } = problem;
  switch (source.kind) {
    case "file":
      return problem.unknownKey
        ? `Remove or rename "${key}" in ${source.filePath}.`
        : `Fix the value of "${key}" in ${source.filePath}.`;
    case "environment":
      return source.variable === undefined
        ? "Fix or unset the ASTROS_* environment variable."
        : `Fix or unset the environment variable ${source.variable}.`;
    case "overrides":
      return `Fix the override given for "${key}".`;
    case "defaults":
      return "The built-in default is invalid; please report this as a bug.";
  }
}
