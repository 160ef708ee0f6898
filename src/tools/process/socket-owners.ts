import { readdirSync, readlinkSync } from "node:fs";
import { mapInSlices } from "./map-in-slices.js";
import { listPids } from "./proc-process-table.js";

export interface SocketOwners {
  /** Pids holding each socket inode (a socket can be shared, by a server's forked workers say). */
  pids: Map<number, number[]>;
  /** How many processes' file descriptors we were not allowed to look at (other users', without root). */
  unreadable: number;
}

/**
 * Which processes hold these sockets: each process's open files in /proc/<pid>/fd are symbolic
 * links, a socket's reading `socket:[<inode>]`. Only processes we may inspect can be seen.
 */
export async function findSocketOwners(inodes: ReadonlySet<number>): Promise<SocketOwners> {
  const owners: SocketOwners = { pids: new Map(), unreadable: 0 };
  if (inodes.size === 0) return owners;
  await mapInSlices(
    listPids(),
    (pid) => {
      let descriptors: string[];
      try {
        descriptors = readdirSync(`/proc/${pid}/fd`);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "EACCES") owners.unreadable += 1;
        return;
      }
      for (const descriptor of descriptors) {
        let target: string;
        try {
          target = readlinkSync(`/proc/${pid}/fd/${descriptor}`);
        } catch {
          continue; // Closed meanwhile.
        }
        if (!target.startsWith("socket:[")) continue;
        const inode = Number(target.slice(8, -1));
        if (!inodes.has(inode)) continue;
        const pids = owners.pids.get(inode) ?? [];
        if (!pids.includes(pid)) pids.push(pid);
        owners.pids.set(inode, pids);
      }
    },
    32,
  );
  return owners;
}
