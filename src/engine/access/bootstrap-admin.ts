import type { Orm } from "../../../db/connect.ts";
import { apiTokens } from "../../../db/schema.ts";
import { generateToken, hashToken } from "../tokens.ts";
import type { TokenRegistry } from "./token-registry.ts";

/** The bootstrap admin's id and name. */
export const BOOTSTRAP_ADMIN = "admin";

/**
 * A configured admin token (`--admin-token`) becomes the bootstrap admin's; without one, the first
 * start (no admin token at all) generates it. Returns a generated token, to show once; only its
 * hash is stored.
 */
export async function ensureBootstrapAdmin(
  orm: Orm,
  tokens: TokenRegistry,
  configured: string | undefined,
  now: number,
): Promise<{ generatedToken?: string }> {
  if (!configured && tokens.live().some((token) => token.role === "admin")) return {};
  const secret = configured ?? generateToken("lbt");
  const row = {
    id: BOOTSTRAP_ADMIN,
    name: BOOTSTRAP_ADMIN,
    role: "admin" as const,
    tokenHash: hashToken(secret),
    maxPriority: 0,
    maxWalltimeMs: null,
    createdAt: now,
    createdBy: "system",
    expiresAt: null,
    revokedAt: null,
  };
  await orm.insert(apiTokens).values(row).onConflictDoUpdate({
    target: apiTokens.id,
    set: { tokenHash: row.tokenHash, role: "admin", revokedAt: null, expiresAt: null },
  });
  tokens.put(row);
  return configured ? {} : { generatedToken: secret };
}
