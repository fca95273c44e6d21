/**
 * Who may call each route: the one place that says it. Keys are `METHOD /path` as in the OpenAPI
 * document; the authorization middleware enforces the rule before a handler (or the body) is read,
 * and a route without a rule is refused. The authorization matrix test walks the document against
 * this table.
 *
 * - `open`: anyone, no credentials.
 * - `viewer`, `user`, `admin`: a token with at least that role (or the anonymous policy's role).
 * - `owner`: a user or admin token; the session the route acts in (found through `of`) must be the
 *   caller's own, else 404 as if it did not exist. Admins act in every session.
 * - `agent`: the host's own agent token for the host in `{id}`.
 * - `enroll`: the enrollment token (agent registration).
 */
export type OwnedResource =
  /** A session id in a path parameter. */
  | { kind: "session"; param: string }
  /** A session id in the Remote Lab `X-Session-ID` header. */
  | { kind: "session-header" }
  | { kind: "job"; param: string }
  | { kind: "lab"; param: string };

export type RoleRule = { access: "viewer" } | { access: "user" } | { access: "admin" } | { access: "owner"; of: OwnedResource };
export type AccessRule = { access: "open" } | { access: "agent" } | { access: "enroll" } | RoleRule;

const open = { access: "open" } as const;
const viewer = { access: "viewer" } as const;
const user = { access: "user" } as const;
const admin = { access: "admin" } as const;
const agent = { access: "agent" } as const;
const enroll = { access: "enroll" } as const;
const ownSession = (param = "id"): AccessRule => ({ access: "owner", of: { kind: "session", param } });
const ownCompatSession: AccessRule = { access: "owner", of: { kind: "session-header" } };
const ownJob: AccessRule = { access: "owner", of: { kind: "job", param: "id" } };
const ownLab: AccessRule = { access: "owner", of: { kind: "lab", param: "id" } };

export const ACCESS_RULES: Readonly<Record<string, AccessRule>> = {
  // System: probes, the API document and the static shells load without a token.
  "GET /healthz": open,
  "GET /readyz": open,
  "GET /openapi.json": open,
  "GET /openapi.yaml": open,
  "GET /docs": open,
  "GET /docs/{asset}": open,
  "GET /": open,
  "GET /dashboard/{asset}": open,
  "GET /metrics": viewer,

  // Identity: logging in takes the token in the body; tokens are the admin's.
  "POST /v1/login": open,
  "POST /v1/logout": open,
  "GET /v1/whoami": viewer,
  "POST /v1/tokens": admin,
  "GET /v1/tokens": admin,
  "DELETE /v1/tokens/{id}": admin,

  // Remote Lab: the session travels in the path or in X-Session-ID.
  "POST /session": user,
  "POST /session/heartbeat": ownCompatSession,
  "GET /session/{session_id}": ownSession("session_id"),
  "DELETE /session/{session_id}": ownSession("session_id"),
  "GET /active-session": user,
  "GET /debug/health": viewer,
  "POST /lab": ownCompatSession,
  "GET /lab": ownCompatSession,
  "DELETE /lab": ownCompatSession,
  "GET /lab/devices": ownCompatSession,
  "POST /lab/release": ownCompatSession,

  // Sessions: listings show everyone's; everything inside one is its owner's.
  "POST /v1/sessions": user,
  "GET /v1/sessions": viewer,
  "GET /v1/sessions/{id}": ownSession(),
  "DELETE /v1/sessions/{id}": ownSession(),
  "PATCH /v1/sessions/{id}": ownSession(),
  "POST /v1/sessions/{id}/heartbeat": ownSession(),
  "GET /v1/sessions/{id}/events": ownSession(),
  "GET /v1/slots": viewer,
  "POST /v1/slots": viewer,
  "GET /v1/stats/usage": viewer,

  // Labs: creating one names its session in the body (checked by the handler).
  "POST /v1/labs": user,
  "GET /v1/labs": viewer,
  "GET /v1/labs/{id}": ownLab,
  "DELETE /v1/labs/{id}": ownLab,
  "POST /v1/labs/{id}/release": ownLab,
  "POST /v1/labs/{id}/redeploy": ownLab,
  "POST /v1/labs/{id}/deploy": ownLab,
  "GET /v1/labs/{id}/logs": ownLab,

  // Jobs, results, devices, sysctls, files.
  "POST /v1/sessions/{id}/jobs": ownSession(),
  "GET /v1/sessions/{id}/jobs": ownSession(),
  "GET /v1/jobs/{id}": ownJob,
  "POST /v1/jobs/{id}/kill": ownJob,
  "GET /v1/jobs/{id}/output": ownJob,
  "POST /v1/jobs/{id}/wait": ownJob,
  "GET /v1/sessions/{id}/summary": ownSession(),
  "GET /v1/sessions/{id}/manifest": ownSession(),
  "POST /v1/sessions/{id}/results": ownSession(),
  "GET /v1/sessions/{id}/hosts/{role}/devices": ownSession(),
  "POST /v1/sessions/{id}/hosts/{role}/devices": ownSession(),
  "PATCH /v1/sessions/{id}/hosts/{role}/devices/{device}": ownSession(),
  "DELETE /v1/sessions/{id}/hosts/{role}/devices/{device}": ownSession(),
  "GET /v1/sessions/{id}/hosts/{role}/sysctls/{key}": ownSession(),
  "PUT /v1/sessions/{id}/hosts/{role}/sysctls/{key}": ownSession(),
  "GET /v1/sessions/{id}/labs/{lab_id}/nodes/{node}/devices": ownSession(),
  "POST /v1/sessions/{id}/labs/{lab_id}/nodes/{node}/devices": ownSession(),
  "PATCH /v1/sessions/{id}/labs/{lab_id}/nodes/{node}/devices/{device}": ownSession(),
  "DELETE /v1/sessions/{id}/labs/{lab_id}/nodes/{node}/devices/{device}": ownSession(),
  "GET /v1/sessions/{id}/labs/{lab_id}/nodes/{node}/sysctls/{key}": ownSession(),
  "PUT /v1/sessions/{id}/labs/{lab_id}/nodes/{node}/sysctls/{key}": ownSession(),
  "PUT /v1/sessions/{id}/hosts/{role}/files": ownSession(),
  "GET /v1/sessions/{id}/hosts/{role}/files": ownSession(),

  // Hosts: everyone sees them; only admins change them.
  "GET /v1/hosts": viewer,
  "GET /v1/hosts/{id}": viewer,
  "GET /v1/hosts/{id}/calendar": viewer,
  "PATCH /v1/hosts/{id}": admin,
  "POST /v1/hosts/{id}/refresh-inventory": admin,
  "POST /v1/hosts/{id}/health-check": admin,
  "GET /v1/work/{id}": admin,
  // The audit stream: job command lines and every actor.
  "GET /v1/events": viewer,

  // The agent protocol.
  "POST /v1/agents/register": enroll,
  "POST /v1/agents/{id}/poll": agent,
  "POST /v1/agents/{id}/events": agent,
  "GET /v1/agents/{id}/labs/{lab_id}/files": agent,
};

/** The rule of a route, by its method and its path as the router matched it (`/v1/sessions/:id`). */
export function accessRuleFor(method: string, routePattern: string): AccessRule | undefined {
  const path = routePattern.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
  return ACCESS_RULES[`${method === "HEAD" ? "GET" : method} ${path}`];
}
