import type { Context } from "hono";
import { mayActFor, type Principal } from "../../engine/access/principal.ts";
import type { EngineContext } from "../../engine/context.ts";
import { DomainError, NotFoundError } from "../../engine/errors.ts";
import { findJob } from "../../engine/jobs/find-job.ts";
import { findLab } from "../../engine/labs/find-lab.ts";
import type { Session } from "../../engine/model.ts";
import { findSession } from "../../engine/sessions/find-session.ts";
import type { OwnedResource } from "./access-rules.ts";

/**
 * Refuses what the principal may not act on with the 404 an unknown id gets, so that another
 * owner's ids confirm nothing. An id that does not exist is left to the handler (its own 404).
 */
export async function checkOwnership(
  c: Context,
  engine: EngineContext,
  principal: Principal,
  resource: OwnedResource,
  params: Record<string, string>,
): Promise<void> {
  const owners = await ownersOf(c, engine, resource, params);
  if (owners && !owners.some((owner) => mayActFor(principal, owner))) throw notFound(c, resource, params);
}

/** For a session named in a request body: the session if the principal may act in it, else the 404 of an unknown one. */
export async function ownedSession(engine: EngineContext, principal: Principal, sessionId: string): Promise<Session> {
  const session = await findSession(engine, sessionId);
  if (!mayActFor(principal, session.ownerId)) throw new NotFoundError(`Cannot find session "${sessionId}"`);
  return session;
}

/** The owners whose principals may act on the resource; null when it does not exist. */
async function ownersOf(
  c: Context,
  engine: EngineContext,
  resource: OwnedResource,
  params: Record<string, string>,
): Promise<(string | null)[] | null> {
  const sessionOwner = async (id: string) => (await orNull(findSession(engine, id)))?.ownerId ?? null;
  switch (resource.kind) {
    case "session-header": {
      const id = c.req.header("x-session-id");
      const session = id ? await orNull(findSession(engine, id)) : null;
      return session ? [session.ownerId] : null;
    }
    case "session": {
      const session = await orNull(findSession(engine, params[resource.param] ?? ""));
      return session ? [session.ownerId] : null;
    }
    case "job": {
      const job = await orNull(findJob(engine, params[resource.param] ?? ""));
      return job ? [await sessionOwner(job.sessionId)] : null;
    }
    case "lab": {
      // Whoever created it, and whoever holds it now (a lab kept running is reused by later sessions).
      const lab = await orNull(findLab(engine, params[resource.param] ?? ""));
      return lab ? Promise.all([lab.sessionId, ...lab.holders].map(sessionOwner)) : null;
    }
  }
}

function notFound(c: Context, resource: OwnedResource, params: Record<string, string>): NotFoundError {
  if (!c.req.path.startsWith("/v1/")) return new NotFoundError("Session not found");
  const id = resource.kind === "session-header" ? (c.req.header("x-session-id") ?? "") : (params[resource.param] ?? "");
  return new NotFoundError(`Cannot find ${resource.kind === "session-header" ? "session" : resource.kind} "${id}"`);
}

async function orNull<T>(lookup: Promise<T>): Promise<T | null> {
  try {
    return await lookup;
  } catch (error) {
    if (error instanceof DomainError && error.status === 404) return null;
    throw error;
  }
}
