import { join } from "node:path";

/**
 * Where Debian's FRR (8.4) keeps an instance: frrinit.sh, watchfrr and every daemon take `-N
 * <pathspace>` and then use /etc/frr/<pathspace> for configuration and /var/run/frr/<pathspace> for
 * pid files and vty sockets; `vtysh -N <pathspace>` talks to that instance only. These folders are
 * compiled into FRR, so they are fixed here too.
 */

export const FRR_DAEMON_DIR = "/usr/lib/frr";
export const FRR_INIT = join(FRR_DAEMON_DIR, "frrinit.sh");
const FRR_CONFIG_ROOT = "/etc/frr";
const FRR_RUN_ROOT = "/var/run/frr";

/** What a node's FRR instance owns on the host, kept in the lab record so destroy finds it. */
export interface FrrRecord {
  pathspace: string;
  configDir: string;
  runDir: string;
  /** Holds the node's `vtysh` (bound to its instance), put first on PATH for commands in the node. */
  binDir: string;
}

export function frrRecord(pathspace: string, labDir: string): FrrRecord {
  return {
    pathspace,
    configDir: join(FRR_CONFIG_ROOT, pathspace),
    runDir: join(FRR_RUN_ROOT, pathspace),
    binDir: join(labDir, `.frr-${pathspace}`),
  };
}

/** Everything of an instance's on the host, removed on destroy. */
export function frrFolders(record: FrrRecord): string[] {
  return [record.configDir, record.runDir, record.binDir];
}
