import { z } from "@hono/zod-openapi";
import type { EngineContext } from "../../engine/context.ts";
import { LockedError, NotFoundError } from "../../engine/errors.ts";
import type { Session } from "../../engine/model.ts";
import { liveSession } from "../../engine/sessions/find-session.ts";

/** The Remote Lab session header; FastAPI reads it case-insensitively as `x-session-id`. */
export const SessionHeaderSchema = z.object({ "x-session-id": z.string().openapi({ description: "The session id from POST /session" }) });

export const CompatSessionStatusSchema = z
  .object({
    status: z.enum(["waiting", "active"]),
    position: z.number().int().openapi({ description: "Sessions ahead in its queue; 0 when active" }),
  })
  .openapi("CompatSessionStatus");

export const CompatSessionIdParamSchema = z.object({ session_id: z.string().openapi({ param: { name: "session_id", in: "path" } }) });

/**
 * Remote Lab's position: 0 when active; for a waiting session the sessions ahead of it in its
 * queue, counting the hosts' current holders as one place (so the next in line is 1, as with the
 * single-host Remote Lab).
 */
export function compatPosition(position: number, session: Session): number {
  return session.state === "active" ? 0 : position + 1;
}

/** The session of a lab request: 404 when unknown, 423 while it still waits. */
export function activeCompatSession(engine: EngineContext, sessionId: string): Session {
  const session = liveCompatSession(engine, sessionId);
  if (session.state !== "active") throw new LockedError("Session is not active");
  return session;
}

/** A live session by id, or the Remote Lab 404. */
export function liveCompatSession(engine: EngineContext, sessionId: string): Session {
  const session = liveSession(engine, sessionId);
  if (!session) throw new NotFoundError("Session not found");
  return session;
}
