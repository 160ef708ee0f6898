import { z } from "zod";
import type { ToolDefinition } from "../ai/ai-types.js";
import { toolWireName } from "../ai/tool-wire-name.js";
import type { ArgumentSchema } from "../plugins/argument-schema.js";
import type { HandlerMatch, PluginRegistry } from "../plugins/plugin-registry.js";

/** The tools an LLM is offered: every enabled handler, first-party or not, by the name the model sees. */
export interface ToolCatalog {
  definitions: ToolDefinition[];
  /** The handler behind a wire name (`files_search`), or undefined for a name the model made up. */
  resolve(wireName: string): { tool: string; match: HandlerMatch } | undefined;
}

/**
 * Build the catalog from the registry as it is now: the highest-priority handler of each intent
 * (as `findHandlers` would pick), its description and examples as the tool's description, and its
 * argument schema as JSON Schema.
 */
export function buildToolCatalog(registry: PluginRegistry): ToolCatalog {
  const chosen = new Map<string, HandlerMatch>();
  for (const plugin of registry.list()) {
    if (!plugin.enabled || plugin.state === "failed") continue;
    for (const handler of plugin.runtime.handlers) {
      const current = chosen.get(handler.intent);
      if (current === undefined || handler.priority > current.handler.priority) chosen.set(handler.intent, { plugin, handler });
    }
  }
  const byWire = new Map<string, { tool: string; match: HandlerMatch }>();
  const definitions: ToolDefinition[] = [];
  for (const [tool, match] of [...chosen].sort(([a], [b]) => a.localeCompare(b))) {
    let name = toolWireName(tool);
    for (let suffix = 2; byWire.has(name); suffix++) name = `${toolWireName(tool).slice(0, 60)}_${suffix}`;
    byWire.set(name, { tool, match });
    const { handler } = match;
    const examples = handler.examples.filter((example) => !example.includes("{")).slice(0, 3);
    definitions.push({
      name,
      description: [
        handler.description || `${tool} (from the ${match.plugin.runtime.metadata.name} plugin)`,
        handler.readOnly ? "Read-only." : "Changes things; AstrOS asks the user before anything risky.",
        examples.length === 0 ? "" : `Examples: ${examples.map((example) => `"${example}"`).join(", ")}.`,
      ]
        .filter((part) => part !== "")
        .join(" "),
      parameters: jsonSchemaOf(handler.args),
    });
  }
  return { definitions, resolve: (wireName) => byWire.get(wireName) };
}

/**
 * A handler's arguments as JSON Schema: zod schemas convert exactly; another Standard Schema
 * library that publishes a JSON Schema is asked for it; otherwise any object is accepted here and
 * the pipeline's validation has the last word, as it always does.
 */
export function jsonSchemaOf(schema: ArgumentSchema | undefined): Record<string, unknown> {
  if (schema === undefined) return { type: "object", properties: {}, additionalProperties: true };
  // Schemas do not change once a handler is registered: convert each once, not on every request.
  let converted = convertedSchemas.get(schema);
  if (converted === undefined) {
    converted = convert(schema);
    convertedSchemas.set(schema, converted);
  }
  return converted;
}

const convertedSchemas = new WeakMap<object, Record<string, unknown>>();

function convert(schema: ArgumentSchema): Record<string, unknown> {
  const open = { type: "object", properties: {}, additionalProperties: true };
  try {
    let converted: Record<string, unknown> | undefined;
    if (typeof schema === "object" && schema !== null && "_zod" in schema) {
      converted = z.toJSONSchema(schema as unknown as z.ZodType, { unrepresentable: "any", io: "input" }) as Record<
        string,
        unknown
      >;
    } else {
      const standard = (schema as { "~standard"?: { jsonSchema?: { input?: (options: { target: string }) => unknown } } })[
        "~standard"
      ];
      const input = standard?.jsonSchema?.input?.({ target: "draft-2020-12" });
      if (typeof input === "object" && input !== null) converted = input as Record<string, unknown>;
    }
    if (converted === undefined || converted.type !== "object") return open;
    const { $schema: _schema, ...rest } = converted;
    return JSON.parse(
      JSON.stringify(rest, (_key, value) =>
        value === Number.MAX_SAFE_INTEGER || value === Number.MIN_SAFE_INTEGER ? undefined : value,
      ),
    );
  } catch {
    return open;
  }
}
