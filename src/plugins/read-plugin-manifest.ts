import { readFile } from "node:fs/promises";
import { parse as parseYaml, YAMLParseError } from "yaml";
import type * as z from "zod";
import { PluginError } from "../core/errors/plugin-error.js";
import { type PluginManifest, pluginManifestSchema } from "./plugin-manifest.js";

/** One line per problem: `field.path: what is wrong`. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.flatMap((issue) => {
    const path = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => `${path === "" ? "" : `${path}.`}${key}: unknown field`);
    }
    return [`${path === "" ? "(top level)" : path}: ${issue.message}`];
  });
}

/** Read and validate a plugin.yaml; every error names the file and the field. */
export async function readPluginManifest(manifestPath: string): Promise<PluginManifest> {
  let text: string;
  try {
    text = await readFile(manifestPath, "utf8");
  } catch (error) {
    throw new PluginError(`${manifestPath}: cannot read the manifest (${(error as NodeJS.ErrnoException).code ?? error})`, {
      code: "PLUGIN_MANIFEST_INVALID",
      details: { file: manifestPath },
      cause: error,
    });
  }
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    const where =
      error instanceof YAMLParseError && error.linePos !== undefined
        ? ` at line ${error.linePos[0].line}, column ${error.linePos[0].col}`
        : "";
    throw new PluginError(`${manifestPath}: invalid YAML${where}: ${(error as Error).message.split("\n")[0]}`, {
      code: "PLUGIN_MANIFEST_INVALID",
      details: { file: manifestPath },
      recovery: "Fix the YAML syntax; `astros plugin validate <dir>` checks it.",
      cause: error,
    });
  }
  return validateManifest(document, manifestPath);
}

export function validateManifest(document: unknown, manifestPath: string): PluginManifest {
  const result = pluginManifestSchema.safeParse(document ?? {});
  if (result.success) return result.data;
  const lines = describeIssues(result.error.issues);
  const first = result.error.issues[0];
  throw new PluginError(`${manifestPath}: ${lines.join(`; `)}`, {
    code: "PLUGIN_MANIFEST_INVALID",
    details: { file: manifestPath, field: first?.path.map(String).join(".") ?? "", problems: lines },
    recovery: "See the plugin guide for the plugin.yaml fields.",
  });
}
