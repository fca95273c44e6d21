import { randomBytes } from "node:crypto";

/**
 * The topology with its name made unique to this test. Instance names are `<name>-<seconds>` and
 * native namespaces are named after them, so two test runs on one machine (other worktrees, say)
 * deploying the same fixture in the same second would collide on the host.
 */
export function uniquelyNamed(topology: string): string {
  return topology.replace(/^name: (\S+)$/m, (_line, name: string) => `name: ${name}-${randomBytes(3).toString("hex")}`);
}
