import { sha256Hex } from "../sha256.ts";
import type { FileContent } from "./bytes.ts";

/** A topology named by its hash, as `topologyFileHash()` reads it from disk. */
export interface TopologyHash {
  sha256: string;
}

/** The topology a host's lab will deploy, for the warm-lab preference: its content (hashed here) or its hash. */
export type WarmLabTopology = FileContent | TopologyHash;

/** The `warm_lab` a session requirement sends: the topology's SHA-256, as the broker computes a lab's `topology_hash`. */
export function warmLabHash(topology: WarmLabTopology): string {
  return typeof topology === "object" && "sha256" in topology ? topology.sha256 : sha256Hex(topology);
}
