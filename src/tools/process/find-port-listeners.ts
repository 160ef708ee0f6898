import { type ListeningSocket, readListeningSockets } from "./listening-sockets.js";
import { type ProcessRecord, readProcess } from "./proc-process-table.js";
import { findSocketOwners } from "./socket-owners.js";
import { readUserNames } from "./user-names.js";

/** One socket listening on the port, with the process holding it when we may see it. */
export interface PortListener {
  protocol: ListeningSocket["protocol"];
  address: string;
  port: number;
  uid: number;
  user: string;
  /** The process holding the socket; absent when it belongs to a user whose processes we cannot inspect. */
  process?: ProcessRecord;
}

export interface PortListeners {
  listeners: PortListener[];
  /** The distinct processes among them. */
  processes: ProcessRecord[];
  /** Sockets on the port whose process we could not see (another user's, and we are not root). */
  hiddenSockets: number;
}

/** Who listens on a TCP or UDP port (Linux: /proc/net for the sockets, /proc/<pid>/fd for their owners). */
export async function findPortListeners(port: number): Promise<PortListeners> {
  const sockets = readListeningSockets(port);
  const [owners, userName] = await Promise.all([
    findSocketOwners(new Set(sockets.map((socket) => socket.inode))),
    readUserNames(),
  ]);
  const processes = new Map<number, ProcessRecord>();
  const listeners: PortListener[] = [];
  let hiddenSockets = 0;
  for (const socket of sockets) {
    const base = {
      protocol: socket.protocol,
      address: socket.address,
      port: socket.port,
      uid: socket.uid,
      user: userName(socket.uid),
    };
    const records = (owners.pids.get(socket.inode) ?? [])
      .map((pid) => processes.get(pid) ?? readProcess(pid, userName))
      .filter((record) => record !== undefined);
    if (records.length === 0) {
      hiddenSockets += 1;
      listeners.push(base);
    }
    for (const record of records) {
      processes.set(record.pid, record);
      listeners.push({ ...base, process: record });
    }
  }
  return { listeners, processes: [...processes.values()], hiddenSockets };
}
