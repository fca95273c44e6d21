import { eq } from "drizzle-orm";
import type { Orm } from "../../../db/connect.ts";
import { brokerSettings } from "../../../db/schema.ts";
import type { EngineContext } from "../context.ts";
import { UnauthorizedError } from "../errors.ts";
import { generateToken, hashToken, tokenMatches } from "../tokens.ts";

const ENROLLMENT_KEY = "enrollment_token_sha256";

export interface EnrollmentSetup {
  /** Set only when the broker generated a token just now: shown once, never stored in clear. */
  generatedToken?: string;
}

/**
 * A token given in the configuration replaces the stored one; otherwise the stored hash is kept;
 * on the very first start without one, a token is generated so agents can enroll at all.
 */
export async function ensureEnrollmentToken(orm: Orm, configured: string | undefined, now: number): Promise<EnrollmentSetup> {
  if (configured) {
    await storeHash(orm, hashToken(configured), now);
    return {};
  }
  if (await storedEnrollmentTokenHash(orm)) return {};
  return { generatedToken: await rotateEnrollmentToken(orm, now) };
}

export async function storedEnrollmentTokenHash(orm: Orm): Promise<string | null> {
  const [stored] = await orm.select().from(brokerSettings).where(eq(brokerSettings.key, ENROLLMENT_KEY));
  return stored?.value ?? null;
}

/** A new token replaces the stored one (the old one stops enrolling agents); returned in clear once, only its hash is kept. */
export async function rotateEnrollmentToken(orm: Orm, now: number): Promise<string> {
  const token = generateToken("lbe");
  await storeHash(orm, hashToken(token), now);
  return token;
}

async function storeHash(orm: Orm, tokenHash: string, now: number): Promise<void> {
  await orm
    .insert(brokerSettings)
    .values({ key: ENROLLMENT_KEY, value: tokenHash, updatedAt: now })
    .onConflictDoUpdate({ target: brokerSettings.key, set: { value: tokenHash, updatedAt: now } });
}

/** Refuses a registration without the stored enrollment token (or one `serve` allowed for its own agent). */
export async function verifyEnrollmentToken(ctx: EngineContext, presented: string | null): Promise<void> {
  const stored = await storedEnrollmentTokenHash(ctx.orm);
  if (presented && [...(stored ? [stored] : []), ...ctx.extraEnrollmentTokenHashes].some((hash) => tokenMatches(presented, hash))) return;
  throw new UnauthorizedError(
    "The enrollment token is wrong; use the token the broker printed at its first start or the one set with --enroll-token",
  );
}

/** Whether the token is one `serve` made for its own agent (kept in memory only, never stored). */
export function isLocalAgentToken(ctx: EngineContext, presented: string | null): boolean {
  return presented !== null && ctx.extraEnrollmentTokenHashes.some((hash) => tokenMatches(presented, hash));
}
