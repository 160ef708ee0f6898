const bareKey = /^[A-Za-z0-9_-]+$/;

/** A key path as written in TOML: `plugins.plugin_timeout`, quoting segments that are not bare keys (`plugins.settings."my.plugin"`). */
export function formatKeyPath(keyPath: readonly PropertyKey[]): string {
  if (keyPath.length === 0) return "(top level)";
  return keyPath
    .map((segment) => {
      const text = typeof segment === "symbol" ? String(segment.description) : String(segment);
      return bareKey.test(text) ? text : JSON.stringify(text);
    })
    .join(".");
}
