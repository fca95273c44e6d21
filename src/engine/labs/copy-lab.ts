import { eq } from "drizzle-orm";
import { labFiles } from "../../../db/schema.ts";
import type { EngineContext } from "../context.ts";
import { ConflictError, LockedError } from "../errors.ts";
import { acquireLab } from "./acquire-lab.ts";
import type { Lab } from "./lab.ts";

/**
 * Re-deploys an inactive lab as a new instance (Antimony's re-deploy makes a copy): the same
 * topology and extra files, on the same host, for an active session holding it. The inactive lab
 * stays as it was, for the record.
 */
export async function copyInactiveLab(ctx: EngineContext, lab: Lab, sessionId: string): Promise<Lab> {
  const session = ctx.state.sessions.get(sessionId);
  const role = Object.entries(session?.assignments ?? {}).find(([, hostId]) => hostId === lab.hostId)?.[0];
  if (!session || session.state !== "active" || role === undefined) {
    throw new LockedError(`Session "${sessionId}" is not active on the lab's host`);
  }
  const files = await ctx.orm.select().from(labFiles).where(eq(labFiles.labId, lab.id));
  const topology = files.find((file) => file.path === lab.topologyFile);
  if (!topology) {
    throw new ConflictError(
      `Lab "${lab.id}" cannot be copied: its uploaded files were deleted after the broker's retention period (--retention-days)`,
    );
  }
  const upload = {
    topologyFile: lab.topologyFile,
    topology: new Uint8Array(topology.content),
    extraFiles: files.filter((file) => file !== topology).map((file) => ({ path: file.path, content: new Uint8Array(file.content) })),
  };
  const { lab: copy } = await acquireLab(ctx, { session, role, upload, runtime: lab.runtime, reuse: false, remoteLab: false });
  return copy;
}
