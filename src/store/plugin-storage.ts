import { StorageError } from "../core/errors/storage-error.js";
import type { KeyValueStore } from "./key-value-store.js";

/**
 * A plugin's own persistent key-value storage. Values are JSON; keys are private to the plugin
 * (another plugin using the same key sees its own value).
 */
export interface PluginStorageApi {
  /** The stored value, or undefined when the key is absent or expired. */
  get<T = unknown>(key: string): Promise<T | undefined>;
  /** The stored value, or `defaultValue` when the key is absent or expired. */
  get<T>(key: string, defaultValue: T): Promise<T>;
  /** Stores a JSON-serialisable value; with `ttlSeconds` (positive) it expires after that many seconds. */
  set(key: string, value: unknown, ttlSeconds?: number): Promise<void>;
  /** True when a live entry was removed. */
  delete(key: string): Promise<boolean>;
  exists(key: string): Promise<boolean>;
  /** Live keys starting with `prefix` (taken literally, no wildcards), sorted. */
  listKeys(prefix?: string): Promise<string[]>;
}

export interface PluginStorageOptions {
  store: KeyValueStore;
  pluginName: string;
}

/** PluginStorageApi over the shared key-value store, in the namespace `plugin:<pluginName>`. */
export class PluginStorage implements PluginStorageApi {
  readonly namespace: string;
  readonly #store: KeyValueStore;

  constructor(options: PluginStorageOptions) {
    if (typeof options.pluginName !== "string" || options.pluginName === "") {
      throw new StorageError("Plugin storage needs the plugin's name.", {
        recovery: "Pass the name the plugin declares in its manifest.",
      });
    }
    this.#store = options.store;
    this.namespace = `plugin:${options.pluginName}`;
  }

  get<T = unknown>(key: string): Promise<T | undefined>;
  get<T>(key: string, defaultValue: T): Promise<T>;
  async get<T>(key: string, defaultValue?: T): Promise<T | undefined> {
    const value = await this.#store.get<T>(this.namespace, key);
    return value === undefined ? defaultValue : value;
  }

  async set(key: string, value: unknown, ttlSeconds?: number): Promise<void> {
    await this.#store.set(this.namespace, key, value, ttlSeconds === undefined ? {} : { ttlSeconds });
  }

  delete(key: string): Promise<boolean> {
    return this.#store.delete(this.namespace, key);
  }

  exists(key: string): Promise<boolean> {
    return this.#store.exists(this.namespace, key);
  }

  listKeys(prefix = ""): Promise<string[]> {
    return this.#store.listKeys(this.namespace, prefix);
  }
}
