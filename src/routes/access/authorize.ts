import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import { asActor } from "../../engine/access/actor-scope.ts";
import type { AnonymousPolicy } from "../../engine/access/anonymous-policy.ts";
import { actorName, hasRole, type Principal } from "../../engine/access/principal.ts";
import { authenticateAgent } from "../../engine/agents/agent-credential.ts";
import { verifyEnrollmentToken } from "../../engine/agents/enrollment.ts";
import type { EngineContext } from "../../engine/context.ts";
import { ForbiddenError, UnauthorizedError } from "../../engine/errors.ts";
import type { ApiEnv } from "../api.ts";
import { accessRuleFor, type RoleRule } from "./access-rules.ts";
import { bearerSecret, presentedSecret } from "./credentials.ts";
import { checkOwnership } from "./ownership.ts";

/**
 * Enforces each route's rule (access-rules.ts) from the headers alone, before the body is read: an
 * unauthenticated upload is refused without receiving it. The handler then runs as its actor.
 */
export function authorize(engine: EngineContext, anonymous: AnonymousPolicy): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const pattern = routePath(c, -1);
    // Only middleware matched: an unknown path, answered 404 by the not-found handler.
    if (pattern.includes("*")) return next();
    const rule = accessRuleFor(c.req.method, pattern);
    if (!rule) throw new ForbiddenError(`No access rule is declared for ${c.req.method} ${pattern}; refused`);
    if (rule.access === "open") return next();
    if (rule.access === "enroll") {
      await verifyEnrollmentToken(engine, bearerSecret(c));
      return next();
    }
    const params = paramsOf(pattern, c.req.path);
    if (rule.access === "agent") {
      const host = await authenticateAgent(engine, params.id ?? "", bearerSecret(c));
      c.set("agentHost", host);
      return asActor(`agent:${host.name}`, next);
    }
    const principal = authenticateClient(engine, presentedSecret(c), anonymous);
    await checkRule(c, engine, principal, rule, params);
    c.set("principal", principal);
    return asActor(actorName(principal), next);
  };
}

function authenticateClient(engine: EngineContext, secret: string | null, anonymous: AnonymousPolicy): Principal {
  if (secret === null) {
    if (anonymous === "none") {
      throw new UnauthorizedError("This broker needs a token: send Authorization: Bearer TOKEN (or HTTP Basic with the token as password)");
    }
    return { kind: "anonymous", role: anonymous === "read" ? "viewer" : "user" };
  }
  const token = engine.tokens.authenticate(secret, engine.clock.now());
  if (!token) throw new UnauthorizedError("The token is unknown, revoked or expired");
  return {
    kind: "token",
    tokenId: token.id,
    name: token.name,
    role: token.role,
    maxPriority: token.maxPriority,
    maxWalltimeMs: token.maxWalltimeMs,
  };
}

async function checkRule(
  c: Parameters<MiddlewareHandler>[0],
  engine: EngineContext,
  principal: Principal,
  rule: RoleRule,
  params: Record<string, string>,
): Promise<void> {
  const role = rule.access === "owner" ? "user" : rule.access;
  if (!hasRole(principal, role)) throw new ForbiddenError(`This needs the ${role} role; the caller is ${describe(principal)}`);
  if (rule.access === "owner") await checkOwnership(c, engine, principal, rule.of, params);
}

function describe(principal: Principal): string {
  return principal.kind === "token"
    ? `"${principal.name}" (${principal.role})`
    : principal.kind === "anonymous"
    ? `anonymous (${principal.role})`
    : actorName(principal);
}

/** Path parameters of the route the request matched (middleware runs before the route's own parsing). */
function paramsOf(pattern: string, path: string): Record<string, string> {
  const names = pattern.split("/");
  const values = path.split("/");
  const params: Record<string, string> = {};
  names.forEach((name, index) => {
    if (name.startsWith(":")) params[name.slice(1)] = decodeURIComponent(values[index] ?? "");
  });
  return params;
}
