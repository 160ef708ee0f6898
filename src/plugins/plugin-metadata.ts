/** What a plugin says about itself (the seed's class attributes). */
export interface PluginMetadata {
  name: string;
  version: string;
  description: string;
  author: string;
  /** Capability categories, informational (e.g. "greetings"). */
  handles: readonly string[];
  requiresAi: boolean;
  requiresPermissions: readonly string[];
}

export const pluginNamePattern = /^(@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/;
export const intentTypePattern = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/;
