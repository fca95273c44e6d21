import { readFileSync, readlinkSync, statSync } from "node:fs";
import { join } from "node:path";
import { NETNS_DIR } from "../host-facts.ts";
import type { FrrRecord } from "./frr-paths.ts";

/**
 * Whether a node's FRR instance still runs: its watchfrr (which restarts failed daemons) is alive
 * and in the node's namespace. Its pid file sits in the instance's run folder, so the FRR of other
 * labs or of the host is never mistaken for it.
 */
export function frrInstanceProblem(nodeName: string, namespace: string, frr: FrrRecord): string | null {
  const pid = watchfrrPid(frr);
  if (pid === null) return `FRR of node ${nodeName} is not running (no ${join(frr.runDir, "watchfrr.pid")})`;
  const state = processState(pid);
  if (state === null || state === "Z") return `FRR of node ${nodeName} is not running (watchfrr ${pid} is gone)`;
  if (networkNamespaceInode(pid) !== namespaceInode(namespace)) {
    return `FRR of node ${nodeName} is not running (pid ${pid} is another process)`;
  }
  return null;
}

function watchfrrPid(frr: FrrRecord): number | null {
  try {
    const pid = Number(readFileSync(join(frr.runDir, "watchfrr.pid"), "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function processState(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
  } catch {
    return null;
  }
}

/** `/proc/PID/ns/net` reads `net:[INODE]`, the inode of the namespace file `ip netns` mounted. */
function networkNamespaceInode(pid: number): number | null {
  try {
    return Number(/\[(\d+)\]/.exec(readlinkSync(`/proc/${pid}/ns/net`))?.[1] ?? Number.NaN);
  } catch {
    return null;
  }
}

function namespaceInode(namespace: string): number | null {
  try {
    return statSync(join(NETNS_DIR, namespace)).ino;
  } catch {
    return null;
  }
}
