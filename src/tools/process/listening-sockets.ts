import { readFileSync } from "node:fs";
import os from "node:os";

export type SocketProtocol = "tcp" | "tcp6" | "udp" | "udp6";

/** A socket waiting for traffic: a TCP socket in LISTEN, or a bound, unconnected UDP socket. */
export interface ListeningSocket {
  protocol: SocketProtocol;
  /** The local address it is bound to (0.0.0.0 or :: means every interface). */
  address: string;
  port: number;
  /** The owner's uid (from the kernel's table, even when the process itself is hidden from us). */
  uid: number;
  inode: number;
}

const protocols: readonly SocketProtocol[] = ["tcp", "tcp6", "udp", "udp6"];
/** proc(5): TCP state 0A is LISTEN; UDP sockets that are bound but not connected show 07 (CLOSE). */
const listeningState: Record<SocketProtocol, string> = { tcp: "0A", tcp6: "0A", udp: "07", udp6: "07" };

/**
 * Parse one of /proc/net/{tcp,tcp6,udp,udp6} into its listening sockets. Addresses are printed as
 * 32-bit words in the host's byte order; the port is printed as a plain number in hex.
 */
export function parseListeningSockets(
  text: string,
  protocol: SocketProtocol,
  endianness: "LE" | "BE" = os.endianness(),
): ListeningSocket[] {
  const sockets: ListeningSocket[] = [];
  for (const line of text.split("\n").slice(1)) {
    const fields = line.trim().split(/\s+/);
    // sl, local_address, rem_address, st, tx:rx queue, tr:tm->when, retrnsmt, uid, timeout, inode
    const [local, state, uid, inode] = [fields[1], fields[3], fields[7], fields[9]];
    if (local === undefined || state !== listeningState[protocol] || uid === undefined || inode === undefined) continue;
    const [addressHex, portHex] = local.split(":");
    if (addressHex === undefined || portHex === undefined) continue;
    const address = decodeAddress(addressHex, endianness);
    if (address === undefined) continue;
    sockets.push({ protocol, address, port: Number.parseInt(portHex, 16), uid: Number(uid), inode: Number(inode) });
  }
  return sockets;
}

/** Every listening socket on this machine, or only those on `port`. */
export function readListeningSockets(port?: number): ListeningSocket[] {
  return protocols.flatMap((protocol) => {
    let text: string;
    try {
      text = readFileSync(`/proc/net/${protocol}`, "utf8");
    } catch {
      return []; // No IPv6 (or no UDP) in this kernel.
    }
    return parseListeningSockets(text, protocol).filter((socket) => port === undefined || socket.port === port);
  });
}

function decodeAddress(hex: string, endianness: "LE" | "BE"): string | undefined {
  if (!/^[0-9A-Fa-f]+$/.test(hex) || (hex.length !== 8 && hex.length !== 32)) return undefined;
  const bytes = Buffer.from(hex, "hex");
  // Each 32-bit word was printed as a number: on a little-endian host its bytes come out reversed.
  if (endianness === "LE") for (let word = 0; word < bytes.length; word += 4) bytes.subarray(word, word + 4).reverse();
  if (bytes.length === 4) return bytes.join(".");
  const groups = Array.from({ length: 8 }, (_, index) => bytes.readUInt16BE(index * 2).toString(16));
  // The URL parser writes IPv6 addresses in their canonical short form (RFC 5952).
  return new URL(`http://[${groups.join(":")}]/`).hostname.slice(1, -1);
}
