import { TOKEN_ROLES } from "../../../db/schema.ts";

/** The roles a token can have (the database column holds the same list). */
export { TOKEN_ROLES };
export type Role = (typeof TOKEN_ROLES)[number];

/** What a request is authenticated as. The actor name goes into events and log lines. */
export type Principal =
  | { kind: "token"; tokenId: string; name: string; role: Role; maxPriority: number; maxWalltimeMs: number | null }
  | { kind: "anonymous"; role: "viewer" | "user" }
  | { kind: "agent"; hostId: string; hostName: string };

/** Who caused a change: a token's name, `anonymous`, `agent:<host>`; `system` for the broker's own doings. */
export function actorName(principal: Principal): string {
  if (principal.kind === "token") return principal.name;
  if (principal.kind === "agent") return `agent:${principal.hostName}`;
  return "anonymous";
}

const ROLE_RANK: Record<Role, number> = { viewer: 1, user: 2, admin: 3 };

/** Whether the principal has at least `role` (agents have no client role). */
export function hasRole(principal: Principal, role: Role): boolean {
  return principal.kind !== "agent" && ROLE_RANK[principal.role] >= ROLE_RANK[role];
}

export function isAdmin(principal: Principal): boolean {
  return hasRole(principal, "admin");
}

/** The owner id stored on the sessions this principal creates. */
export function ownerIdOf(principal: Principal): string {
  return principal.kind === "token" ? principal.tokenId : principal.kind === "agent" ? `agent:${principal.hostId}` : "anonymous";
}

/** Whether the principal may act on what belongs to `ownerId` (admins on everything). */
export function mayActFor(principal: Principal, ownerId: string | null): boolean {
  return isAdmin(principal) || (ownerId !== null && ownerIdOf(principal) === ownerId);
}

/** The owner recorded on a session the principal creates. */
export function sessionOwnerOf(principal: Principal): { id: string; name: string } {
  return { id: ownerIdOf(principal), name: actorName(principal) };
}
