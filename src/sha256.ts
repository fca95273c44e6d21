import { createHash } from "node:crypto";

/**
 * SHA-256 as lower-case hex. Of a topology file's bytes it is the lab's identity (`topology_hash`,
 * the Remote Lab's) and what a session requirement's `warm_lab` names: the broker, the CLI and the
 * SDK hash with this one function so their hashes always agree.
 */
export function sha256Hex(content: Uint8Array | string): string {
  return createHash("sha256").update(content).digest("hex");
}
