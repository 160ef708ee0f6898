import { stringify } from "smol-toml";
import type { AstrOSConfig } from "./config-schema.js";
import { redactSecrets } from "./redact-secrets.js";

/**
 * The configuration as TOML (what `astros config show` prints), with secrets such as `api_key`,
 * `password`, `token` and `secret` values and URL passwords replaced by `***`.
 */
export function renderConfigToml(config: AstrOSConfig): string {
  return stringify(redactSecrets(config));
}
