import type { ConfigSource } from "./config-source.js";
import { type ConfigTable, createConfigTable, isConfigTable } from "./config-table.js";

/** One layer of configuration (a file, the environment, overrides) with where each of its values came from. */
export interface ConfigLayer {
  values: ConfigTable;
  /** The source of the value at a key path of this layer. */
  sourceOf: (keyPath: readonly string[]) => ConfigSource;
}

/** The merged values and, for any key path, the layer source that last set it. */
export interface MergedConfig {
  values: ConfigTable;
  sourceAt: (keyPath: readonly PropertyKey[]) => ConfigSource;
}

export interface MergeConfigLayersOptions {
  /** Lowest precedence first. */
  layers: readonly ConfigLayer[];
}

const defaultsSource: ConfigSource = { kind: "defaults" };

/**
 * Deep-merge layers, later layers winning: tables merge key by key, arrays and scalars replace.
 * Undefined values are skipped, so an override object may carry unset options. The inputs are not modified.
 */
export function mergeConfigLayers({ layers }: MergeConfigLayersOptions): MergedConfig {
  const values = createConfigTable();
  const sources = new Map<string, ConfigSource>();

  const mergeTable = (target: ConfigTable, incoming: ConfigTable, keyPath: readonly string[], layer: ConfigLayer) => {
    for (const [key, value] of Object.entries(incoming)) {
      if (value === undefined) continue;
      const childPath = [...keyPath, key];
      const sourceKey = JSON.stringify(childPath);
      sources.delete(sourceKey);
      sources.set(sourceKey, layer.sourceOf(childPath));
      if (isConfigTable(value)) {
        const existing = Object.hasOwn(target, key) ? target[key] : undefined;
        const base = isConfigTable(existing) ? existing : createConfigTable();
        target[key] = base;
        mergeTable(base, value, childPath, layer);
      } else {
        target[key] = Array.isArray(value) ? [...value] : value;
      }
    }
  };
  for (const layer of layers) mergeTable(values, layer.values, [], layer);

  const sourceAt = (keyPath: readonly PropertyKey[]): ConfigSource => {
    const segments = keyPath.map(String);
    for (let length = segments.length; length > 0; length--) {
      const source = sources.get(JSON.stringify(segments.slice(0, length)));
      if (source !== undefined) return source;
    }
    return defaultsSource;
  };
  return { values, sourceAt };
}
