import * as z from "zod";

/** How a leaf value is written as a string (in an environment variable). */
export type ConfigLeafKind = "boolean" | "number" | "string" | "list";

/** A key of the configuration that holds a value rather than a table. */
export interface ConfigLeaf {
  keyPath: readonly string[];
  kind: ConfigLeafKind;
}

/** Look through defaults, optionals and pipes to the schema that decides the value's shape. */
function unwrapSchema(schema: z.core.$ZodType): z.core.$ZodType {
  let current = schema;
  for (;;) {
    if (
      current instanceof z.ZodDefault ||
      current instanceof z.ZodPrefault ||
      current instanceof z.ZodOptional ||
      current instanceof z.ZodNullable
    ) {
      current = current.unwrap();
    } else if (current instanceof z.ZodPipe) {
      current = current.out instanceof z.ZodTransform ? current.in : current.out;
    } else {
      return current;
    }
  }
}

function leafKind(schema: z.core.$ZodType): ConfigLeafKind {
  if (schema instanceof z.ZodBoolean) return "boolean";
  if (schema instanceof z.ZodNumber) return "number";
  if (schema instanceof z.ZodArray) return "list";
  return "string";
}

export interface ListSchemaLeavesOptions {
  schema: z.core.$ZodType;
}

/**
 * Every leaf key path of an object schema, in declaration order. Records (free-form tables such as
 * `ai.providers`) are not leaves and are skipped, since their keys are not known in advance.
 */
export function listSchemaLeaves({ schema }: ListSchemaLeavesOptions): ConfigLeaf[] {
  const leaves: ConfigLeaf[] = [];
  const visit = (current: z.core.$ZodType, keyPath: readonly string[]): void => {
    const unwrapped = unwrapSchema(current);
    if (unwrapped instanceof z.ZodObject) {
      for (const [key, child] of Object.entries(unwrapped.shape)) visit(child, [...keyPath, key]);
    } else if (!(unwrapped instanceof z.ZodRecord)) {
      leaves.push({ keyPath, kind: leafKind(unwrapped) });
    }
  };
  visit(schema, []);
  return leaves;
}

export interface KnownKeysAtOptions {
  schema: z.core.$ZodType;
  keyPath: readonly PropertyKey[];
}

/** The keys the schema allows in the table at `keyPath`, or undefined when that table is free-form or not a table. */
export function knownKeysAt({ schema, keyPath }: KnownKeysAtOptions): string[] | undefined {
  let current = unwrapSchema(schema);
  for (const key of keyPath) {
    if (current instanceof z.ZodObject) {
      const shape: Record<string, z.core.$ZodType> = current.shape;
      if (typeof key !== "string" || !Object.hasOwn(shape, key)) return undefined;
      const child = shape[key];
      if (child === undefined) return undefined;
      current = unwrapSchema(child);
    } else if (current instanceof z.ZodRecord) {
      current = unwrapSchema(current.valueType);
    } else {
      return undefined;
    }
  }
  return current instanceof z.ZodObject ? Object.keys(current.shape) : undefined;
}
