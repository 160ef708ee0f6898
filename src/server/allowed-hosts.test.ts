import os from "node:os";
import { describe, expect, it } from "vitest";
import { AllowedHosts } from "./allowed-hosts.js";

/** The Host header check that stops DNS rebinding: the server's own names only. */

describe("AllowedHosts", () => {
  it("answers to the listening address, localhost, 127.0.0.1, [::1] and the hostname, on any port, and nothing else", () => {
    const hosts = new AllowedHosts({ bindAddress: "127.0.0.1" });
    for (const host of ["127.0.0.1:8000", "localhost", "LOCALHOST:1", "[::1]:8000", `${os.hostname()}:8000`]) {
      expect(hosts.allows(host), host).toBe(true);
    }
    for (const host of [undefined, "", "evil.example", "localhost.evil.example:8000", "127.0.0.1.nip.io", "a b", "[::2]:8000"]) {
      expect(hosts.allows(host), String(host)).toBe(false);
    }
  });

  it("adds server.allowed_hosts, a name on any port or a name with its port only on that one", () => {
    const hosts = new AllowedHosts({ bindAddress: "127.0.0.1", configured: ["astros.example.com", "10.0.0.5:8443"] });
    expect(hosts.allows("astros.example.com")).toBe(true);
    expect(hosts.allows("Astros.Example.com:443")).toBe(true);
    expect(hosts.allows("10.0.0.5:8443")).toBe(true);
    expect(hosts.allows("10.0.0.5:8000")).toBe(false);
    expect(hosts.allows("other.example.com")).toBe(false);
  });

  it("listening on every interface, answers to each interface's own address", () => {
    const hosts = new AllowedHosts({ bindAddress: "0.0.0.0" });
    const addresses = Object.values(os.networkInterfaces()).flatMap((list) => (list ?? []).map((entry) => entry.address));
    for (const address of addresses) {
      expect(hosts.allows(address.includes(":") ? `[${address}]:8000` : `${address}:8000`), address).toBe(true);
    }
    expect(hosts.allows("0.0.0.0:8000")).toBe(false);
  });
});
