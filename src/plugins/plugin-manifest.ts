import * as z from "zod";

const semverPattern = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

/** plugin.yaml, as in the plugin development guide, plus `entry` (the module to load). */
export const pluginManifestSchema = z.strictObject({
  metadata: z.strictObject({
    name: z
      .string({ error: "is required: the plugin's name, e.g. hello-world" })
      .regex(/^(@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/, "must be lower-case letters, digits, . _ - (e.g. hello-world)"),
    version: z
      .string({ error: "is required: a semantic version such as 1.0.0" })
      .regex(semverPattern, "must be a semantic version such as 1.0.0"),
    description: z.string().default(""),
    author: z.string().default(""),
    license: z.string().optional(),
    homepage: z.string().optional(),
    keywords: z.array(z.string()).optional(),
  }),
  capabilities: z
    .strictObject({
      handles: z.array(z.string()).default([]),
      requires_ai: z.boolean().default(false),
      requires_permissions: z
        .array(z.string().regex(/^[a-z][a-z0-9_.:-]*$/, "must be a permission name such as file_system"))
        .default([]),
      supports_voice: z.boolean().default(false),
      supports_gui: z.boolean().default(false),
    })
    .prefault({}),
  configuration: z
    .strictObject({
      settings: z.record(z.string(), z.unknown()).default({}),
      user_configurable: z.array(z.string()).default([]),
    })
    .prefault({}),
  dependencies: z
    .looseObject({
      astros: z.string().optional(),
      node: z.string().optional(),
      external: z.array(z.string()).default([]),
    })
    .prefault({}),
  /** Module to import, relative to the plugin directory. Defaults to package.json's entry, else index.js. */
  entry: z.string().optional(),
});

export type PluginManifest = z.output<typeof pluginManifestSchema>;

/** The `astros` field of an npm package's package.json: `true`, a path to a plugin.yaml, or the manifest's sections without metadata. */
export const packageAstrosFieldSchema = z.union([
  z.literal(true),
  z.string(),
  pluginManifestSchema.omit({ metadata: true }).partial(),
]);
