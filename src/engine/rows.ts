import type { InferSelectModel } from "drizzle-orm";
import type { hosts, sessions } from "../../db/schema.ts";
import type { Host, Requirement, Session } from "./model.ts";
import { poolKey } from "./requirements.ts";

/** Conversions between database rows and the in-memory model. */

export function hostFromRow(row: InferSelectModel<typeof hosts>): Host {
  return {
    ...row,
    runtimes: row.runtimes as Host["runtimes"],
    holders: new Set(),
    pollsHeld: 0,
    pendingAgentToken: null,
    rotateAgain: false,
  };
}

export function sessionFromRow(row: InferSelectModel<typeof sessions>): Session {
  const requirements = row.requirements as Requirement[];
  return { ...row, requirements, client: row.client as Session["client"], poolKey: poolKey(requirements, row.walltimeMs) };
}

export function sessionToRow(session: Session): InferSelectModel<typeof sessions> {
  const { poolKey: _derived, ...row } = session;
  return row;
}

export function hostToRow(host: Host): InferSelectModel<typeof hosts> {
  const { holders: _derived, pollsHeld: _held, pendingAgentToken: _secret, rotateAgain: _again, ...row } = host;
  return row;
}
