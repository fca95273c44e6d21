import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { type TopologyHash, warmLabHash } from "./warm-lab.ts";

export interface LabFiles {
  topology: string;
  fileName: string;
  extraFiles: Record<string, Uint8Array>;
}

/**
 * A topology file and its extra files from disk, as `session.lab()` and `useLab()` take them.
 * Extra files keep their path relative to the topology's folder (folders are read recursively),
 * which is where the lab finds them on the host; a file outside that folder is refused.
 */
export function readLabFiles(topologyPath: string, extras: readonly string[] = []): LabFiles {
  const topology = readTopology(topologyPath);
  const missing = extras.find((extra) => !existsSync(extra));
  if (missing !== undefined) throw new Error(`Extra file or folder "${missing}" does not exist`);
  const base = dirname(resolve(topologyPath));
  const extraFiles: Record<string, Uint8Array> = {};
  for (const extra of extras) {
    for (const file of filesUnder(resolve(extra))) {
      const path = relative(base, file);
      if (path.startsWith("..") || path.startsWith(sep)) {
        throw new Error(`Extra file "${extra}" is not inside the topology's folder ${base}`);
      }
      extraFiles[path.split(sep).join("/")] = new Uint8Array(readFileSync(file));
    }
  }
  return { topology, fileName: basename(topologyPath), extraFiles };
}

/**
 * A topology file's hash for a session requirement's `warmLab` (`labbroker session create --warm-lab`):
 * of its text, as `readLabFiles` reads it for `session.lab()`, so it matches the lab's `topology_hash`.
 */
export function topologyFileHash(topologyPath: string): TopologyHash {
  return { sha256: warmLabHash(readTopology(topologyPath)) };
}

function readTopology(topologyPath: string): string {
  if (!existsSync(topologyPath)) throw new Error(`Topology file "${topologyPath}" does not exist`);
  return readFileSync(topologyPath, "utf8");
}

function filesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true }).flatMap((entry) => filesUnder(join(path, entry.name)));
}
