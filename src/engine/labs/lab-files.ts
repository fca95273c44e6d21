import { eq } from "drizzle-orm";
import { labFiles } from "../../../db/schema.ts";
import type { EngineContext } from "../context.ts";

/** The topology and extra files stored with a lab, for its host's agent to deploy from. */
export function labFilesOf(ctx: EngineContext, labId: string): Promise<{ path: string; content: Buffer }[]> {
  return ctx.orm.select({ path: labFiles.path, content: labFiles.content }).from(labFiles).where(eq(labFiles.labId, labId));
}
