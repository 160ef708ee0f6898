/** A TOML-like table: string keys to values, nested tables for sections. */
export type ConfigTable = Record<string, unknown>;

/** A plain object (from TOML, JSON or an object literal); arrays, dates and class instances are values, not tables. */
export function isConfigTable(value: unknown): value is ConfigTable {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === null || prototype === Object.prototype;
}

/** A fresh table without a prototype, so a key such as `__proto__` is stored as a plain (and then rejected) key. */
export function createConfigTable(): ConfigTable {
  return Object.create(null) as ConfigTable;
}

/** The value at a key path, or undefined when any step is missing or not a table. */
export function getAtPath(table: ConfigTable, keyPath: readonly PropertyKey[]): unknown {
  let current: unknown = table;
  for (const key of keyPath) {
    if (!isConfigTable(current) || typeof key === "symbol" || !Object.hasOwn(current, key)) return undefined;
    current = current[key];
  }
  return current;
}

/** Set a value at a key path, creating tables on the way. */
export function setAtPath(table: ConfigTable, keyPath: readonly string[], value: unknown): void {
  let current = table;
  for (const [index, key] of keyPath.entries()) {
    if (index === keyPath.length - 1) {
      current[key] = value;
      return;
    }
    const next = Object.hasOwn(current, key) ? current[key] : undefined;
    if (isConfigTable(next)) {
      current = next;
    } else {
      const created = createConfigTable();
      current[key] = created;
      current = created;
    }
  }
}
