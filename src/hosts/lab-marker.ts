import { readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import { z } from "zod";
import { type RuntimeName, RUNTIMES } from "../protocol/runtimes.ts";
import type { LabSpec } from "./lab-runtime.ts";
import { jsonOrNull } from "./tool-json.ts";

/**
 * Ownership of labs on a shared host. The tools list every lab on the machine (other users',
 * other agents'), so a lab counts as ours only when its work dir lies under the agent's labs
 * root AND holds this marker, written before the tool is first called (a deploy killed half-way
 * is still recognised). The marker also carries the broker lab id for reviving.
 */

const MARKER_FILE = ".labbroker-lab.json";

const labMarker = z.object({
  runtime: z.enum(RUNTIMES),
  labId: z.string(),
  instanceName: z.string(),
});

export type LabMarker = z.infer<typeof labMarker>;

export function writeLabMarker(spec: LabSpec, runtime: RuntimeName): void {
  const marker: LabMarker = { runtime, labId: spec.labId, instanceName: spec.instanceName };
  writeFileSync(join(spec.workDir, MARKER_FILE), `${JSON.stringify(marker)}\n`);
}

export function removeLabMarker(workDir: string): void {
  rmSync(join(workDir, MARKER_FILE), { force: true });
}

/** The marker of a lab this agent runs with `runtime`, or null when the folder is not one of ours. */
export function ownedLabMarker(labsRoot: string, workDir: string, runtime: RuntimeName): LabMarker | null {
  const inside = relative(canonical(labsRoot), canonical(workDir));
  if (inside === "" || inside === ".." || inside.startsWith("../") || isAbsolute(inside)) return null;
  let text: string;
  try {
    text = readFileSync(join(workDir, MARKER_FILE), "utf8");
  } catch {
    return null;
  }
  const parsed = labMarker.safeParse(jsonOrNull(text));
  return parsed.success && parsed.data.runtime === runtime ? parsed.data : null;
}

/** Tools report folders as the OS resolves them (netlab records `getcwd()`), so symlinks must not hide ownership. */
function canonical(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}
