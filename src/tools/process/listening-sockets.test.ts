import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { parseListeningSockets, readListeningSockets } from "./listening-sockets.js";

const header = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode";

/** A /proc/net line as the kernel prints it. */
function line(slot: number, local: string, remote: string, state: string, uid: number, inode: number): string {
  return `   ${slot}: ${local} ${remote} ${state} 00000000:00000000 00:00000000 00000000 ${String(uid).padStart(5)}        0 ${inode} 1 0000000000000000 100 0 0 10 0`;
}

describe("parseListeningSockets", () => {
  it("decodes IPv4 addresses printed in the host's byte order, and hex ports", () => {
    const text = [
      header,
      line(0, "0100007F:0BB8", "00000000:0000", "0A", 1000, 4242),
      line(1, "00000000:1F90", "00000000:0000", "0A", 0, 4343),
      line(2, "0100007F:0BB8", "0100007F:D431", "01", 1000, 4444),
    ].join("\n");
    expect(parseListeningSockets(text, "tcp", "LE")).toEqual([
      { protocol: "tcp", address: "127.0.0.1", port: 3000, uid: 1000, inode: 4242 },
      { protocol: "tcp", address: "0.0.0.0", port: 8080, uid: 0, inode: 4343 },
    ]);
    expect(
      parseListeningSockets(`${header}\n${line(0, "7F000001:0BB8", "00000000:0000", "0A", 0, 1)}`, "tcp", "BE")[0]?.address,
    ).toBe("127.0.0.1");
  });

  it("decodes IPv6 addresses word by word into their short form", () => {
    const any = "00000000000000000000000000000000";
    const text = [
      header,
      line(0, "00000000000000000000000001000000:0050", `${any}:0000`, "0A", 0, 1),
      line(1, `${any}:0050`, `${any}:0000`, "0A", 0, 2),
      line(2, "0000000000000000FFFF00000100007F:0050", `${any}:0000`, "0A", 0, 3),
      line(3, "B80D0120000000000000000001000000:0050", `${any}:0000`, "0A", 0, 4),
    ].join("\n");
    expect(parseListeningSockets(text, "tcp6", "LE").map((socket) => socket.address)).toEqual([
      "::1",
      "::",
      "::ffff:7f00:1",
      "2001:db8::1",
    ]);
  });

  it("counts a bound, unconnected UDP socket as listening, and a connected one as not", () => {
    const text = [
      header,
      line(0, "0100007F:14E9", "00000000:0000", "07", 0, 7),
      line(1, "0100007F:14EA", "0100007F:0035", "01", 0, 8),
    ].join("\n");
    expect(parseListeningSockets(text, "udp", "LE")).toEqual([
      { protocol: "udp", address: "127.0.0.1", port: 5353, uid: 0, inode: 7 },
    ]);
  });

  it("skips lines it cannot read", () => {
    expect(parseListeningSockets(`${header}\n   0: garbage\n\n`, "tcp", "LE")).toEqual([]);
  });
});

describe("readListeningSockets", () => {
  it("finds a real server's socket on this machine", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    try {
      expect(readListeningSockets(port)).toEqual([
        expect.objectContaining({ protocol: "tcp", address: "127.0.0.1", port, uid: process.getuid?.() }),
      ]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
