import type * as z from "zod";
import { coerceEnvironmentValue } from "./coerce-environment-value.js";
import type { ConfigSource } from "./config-source.js";
import { createConfigTable, setAtPath } from "./config-table.js";
import type { ConfigLayer } from "./merge-config-layers.js";
import { listSchemaLeaves } from "./schema-shape.js";

const prefix = "ASTROS_";

/** The variable that sets a key: `ASTROS_` and the key path joined by `_`, upper-cased (`plugins.plugin_timeout` -> `ASTROS_PLUGINS_PLUGIN_TIMEOUT`). */
export function environmentVariableName(keyPath: readonly string[]): string {
  return prefix + keyPath.join("_").toUpperCase();
}

export interface ReadEnvironmentLayerOptions {
  env: Readonly<Record<string, string | undefined>>;
  /** The configuration schema the variables are derived from. */
  schema: z.core.$ZodType;
}

/** A layer plus the names of the variables that contributed to it. */
export interface EnvironmentLayer extends ConfigLayer {
  variables: string[];
}

/**
 * The configuration set through `ASTROS_*` variables, one variable per leaf key of the schema, values
 * coerced to the key's kind. Free-form tables (`ai.providers`, `plugins.settings`) are not mapped and other
 * `ASTROS_*` variables (including `ASTROS_CONFIG`) are ignored. Returns undefined when no variable applies.
 */
export function readEnvironmentLayer({ env, schema }: ReadEnvironmentLayerOptions): EnvironmentLayer | undefined {
  const values = createConfigTable();
  const sources = new Map<string, ConfigSource>();
  const variables: string[] = [];
  for (const leaf of listSchemaLeaves({ schema })) {
    const variable = environmentVariableName(leaf.keyPath);
    const text = env[variable];
    if (text === undefined) continue;
    const value = coerceEnvironmentValue({ text, kind: leaf.kind });
    if (value === undefined) continue;
    setAtPath(values, leaf.keyPath, value);
    sources.set(leaf.keyPath.join("."), { kind: "environment", variable });
    variables.push(variable);
  }
  if (variables.length === 0) return undefined;
  return {
    values,
    variables,
    sourceOf: (keyPath) => sources.get(keyPath.join(".")) ?? { kind: "environment" },
  };
}
