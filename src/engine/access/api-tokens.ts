import { desc, eq } from "drizzle-orm";
import { apiTokens } from "../../../db/schema.ts";
import { Change, type EngineContext } from "../context.ts";
import { ConflictError, NotFoundError, UnprocessableError } from "../errors.ts";
import { newId } from "../ids.ts";
import { generateToken, hashToken } from "../tokens.ts";
import { currentActor } from "./actor-scope.ts";
import type { Role } from "./principal.ts";
import type { ApiToken } from "./token-registry.ts";

export interface CreateApiTokenInput {
  name: string;
  role: Role;
  expiresAt: number | null;
  maxPriority: number;
  maxWalltimeMs: number | null;
}

/** A new token; the secret is returned once and only its hash is kept. A live token's name is not given twice. */
export async function createApiToken(ctx: EngineContext, input: CreateApiTokenInput): Promise<{ token: ApiToken; secret: string }> {
  const now = ctx.clock.now();
  if (input.expiresAt !== null && input.expiresAt <= now) {
    throw new UnprocessableError(`expires_at ${new Date(input.expiresAt).toISOString()} is not in the future`);
  }
  if (ctx.tokens.live().some((token) => token.name === input.name)) {
    throw new ConflictError(`A token named "${input.name}" exists already; revoke it first or choose another name`);
  }
  const secret = generateToken("lbt");
  const token: ApiToken = {
    id: newId(now),
    ...input,
    tokenHash: hashToken(secret),
    createdAt: now,
    createdBy: currentActor(),
    revokedAt: null,
  };
  const change = new Change(ctx);
  change.write(ctx.orm.insert(apiTokens).values(token));
  change.emit("token.created", {}, {
    tokenId: token.id,
    name: token.name,
    role: token.role,
    expiresAt: token.expiresAt,
    maxPriority: token.maxPriority,
    maxWalltimeMs: token.maxWalltimeMs,
  });
  ctx.tokens.put(token);
  await change.commit();
  return { token, secret };
}

/** Every token, live and revoked, newest first (hashes are for the caller to leave out). */
export async function listApiTokens(ctx: EngineContext): Promise<ApiToken[]> {
  return ctx.orm.select().from(apiTokens).orderBy(desc(apiTokens.createdAt)).limit(10_000);
}

/** Revokes a token by id or live name: it authenticates nothing from now on. Revoking twice is fine. */
export async function revokeApiToken(ctx: EngineContext, idOrName: string): Promise<ApiToken> {
  const live = ctx.tokens.live().find((token) => token.id === idOrName || token.name === idOrName);
  const [row] = live ? [live] : await ctx.orm.select().from(apiTokens).where(eq(apiTokens.id, idOrName)).limit(1);
  if (!row) throw new NotFoundError(`Cannot find token "${idOrName}"`);
  if (row.revokedAt !== null) return row;
  const revoked = { ...row, revokedAt: ctx.clock.now() };
  const change = new Change(ctx);
  change.write(ctx.orm.update(apiTokens).set({ revokedAt: revoked.revokedAt }).where(eq(apiTokens.id, row.id)));
  change.emit("token.revoked", {}, { tokenId: row.id, name: row.name });
  ctx.tokens.remove(row.id);
  await change.commit();
  return revoked;
}
