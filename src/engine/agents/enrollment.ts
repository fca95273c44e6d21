import { eq } from "drizzle-orm";
import type { Orm } from "../../../db/connect.ts";
import { brokerSettings } from "../../../db/schema.ts";
import { generateToken, hashToken } from "../tokens.ts";

const ENROLLMENT_KEY = "enrollment_token_sha256";

export interface EnrollmentSetup {
  tokenHash: string;
  /** Set only when the broker generated a token just now: shown once, never stored in clear. */
  generatedToken?: string;
}

/**
 * A token given in the configuration replaces the stored one; otherwise the stored hash is kept;
 * on the very first start without one, a token is generated so agents can enroll at all.
 */
export async function ensureEnrollmentToken(orm: Orm, configured: string | undefined, now: number): Promise<EnrollmentSetup> {
  if (configured) {
    const tokenHash = hashToken(configured);
    await storeHash(orm, tokenHash, now);
    return { tokenHash };
  }
  const [stored] = await orm.select().from(brokerSettings).where(eq(brokerSettings.key, ENROLLMENT_KEY));
  if (stored) return { tokenHash: stored.value };
  const generatedToken = generateToken("lbe");
  const tokenHash = hashToken(generatedToken);
  await storeHash(orm, tokenHash, now);
  return { tokenHash, generatedToken };
}

async function storeHash(orm: Orm, tokenHash: string, now: number): Promise<void> {
  await orm
    .insert(brokerSettings)
    .values({ key: ENROLLMENT_KEY, value: tokenHash, updatedAt: now })
    .onConflictDoUpdate({ target: brokerSettings.key, set: { value: tokenHash, updatedAt: now } });
}
