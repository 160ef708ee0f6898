import os from "node:os";

export interface AllowedHostsOptions {
  /** The address the server listens on (`server.host`). */
  bindAddress: string;
  /** More names it answers to (`server.allowed_hosts`): a name, or a name with its port. */
  configured?: readonly string[];
}

/** Addresses that mean "every interface": then each interface's own address is one of the server's names. */
const everyInterface = new Set(["0.0.0.0", "::", "[::]", ""]);

/**
 * The names the server answers to, for the Host header check that stops DNS rebinding: a page on
 * another site whose name was made to point at 127.0.0.1 sends its own name as Host, which is not one
 * of these. Built in: the listening address, localhost, 127.0.0.1, [::1] and this machine's hostname
 * (and, listening on every interface, each interface's address); plus `server.allowed_hosts`.
 */
export class AllowedHosts {
  readonly #names: Set<string>;
  readonly #withPort: Set<string>;

  constructor(options: AllowedHostsOptions) {
    const names = ["localhost", "127.0.0.1", "::1", os.hostname(), bareName(options.bindAddress)];
    if (everyInterface.has(options.bindAddress)) {
      for (const addresses of Object.values(os.networkInterfaces())) {
        for (const address of addresses ?? []) names.push(address.address);
      }
    }
    this.#names = new Set(names.filter((name) => name !== "" && !everyInterface.has(name)).map((name) => name.toLowerCase()));
    this.#withPort = new Set();
    for (const entry of options.configured ?? []) {
      const parsed = splitHost(entry.trim().toLowerCase());
      if (parsed === undefined) continue;
      if (parsed.port === undefined) this.#names.add(parsed.name);
      else this.#withPort.add(`${parsed.name}:${parsed.port}`);
    }
  }

  /** Whether a request with this Host header is for this server (a missing or malformed one is not). */
  allows(header: string | undefined): boolean {
    if (header === undefined) return false;
    const parsed = splitHost(header.trim().toLowerCase());
    if (parsed === undefined) return false;
    if (this.#names.has(parsed.name)) return true;
    return parsed.port !== undefined && this.#withPort.has(`${parsed.name}:${parsed.port}`);
  }
}

/** A Host value's name (without brackets for IPv6) and port; undefined when it is not a host at all. */
function splitHost(value: string): { name: string; port?: string } | undefined {
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9._-]+)(?::(\d{1,5}))?$/.exec(value);
  if (match === null) return undefined;
  const name = bareName(match[1] ?? "");
  return match[2] === undefined ? { name } : { name, port: match[2] };
}

function bareName(address: string): string {
  return address.startsWith("[") && address.endsWith("]") ? address.slice(1, -1).toLowerCase() : address.toLowerCase();
}
