import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";

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
  if (!existsSync(topologyPath)) throw new Error(`Topology file "${topologyPath}" does not exist`);
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
  return { topology: readFileSync(topologyPath, "utf8"), fileName: basename(topologyPath), extraFiles };
}

function filesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true }).flatMap((entry) => filesUnder(join(path, entry.name)));
}
