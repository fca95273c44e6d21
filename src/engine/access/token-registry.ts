import type { InferSelectModel } from "drizzle-orm";
import { isNull } from "drizzle-orm";
import type { Orm } from "../../../db/connect.ts";
import { apiTokens } from "../../../db/schema.ts";
import { hashToken } from "../tokens.ts";

export type ApiToken = InferSelectModel<typeof apiTokens>;

/**
 * The tokens that may authenticate (not revoked), by hash, in memory: every request is checked
 * without a database read. Changes go through the verbs in api-tokens.ts, which keep both in step.
 */
export class TokenRegistry {
  readonly #byHash = new Map<string, ApiToken>();

  static async load(orm: Orm): Promise<TokenRegistry> {
    const registry = new TokenRegistry();
    for (const row of await orm.select().from(apiTokens).where(isNull(apiTokens.revokedAt))) registry.put(row);
    return registry;
  }

  /** The live token a presented secret belongs to; null when unknown, revoked or expired. */
  authenticate(secret: string, now: number): ApiToken | null {
    const token = this.#byHash.get(hashToken(secret));
    return token && (token.expiresAt === null || token.expiresAt > now) ? token : null;
  }

  put(token: ApiToken): void {
    for (const [hash, known] of this.#byHash) if (known.id === token.id) this.#byHash.delete(hash);
    this.#byHash.set(token.tokenHash, token);
  }

  remove(id: string): void {
    for (const [hash, known] of this.#byHash) if (known.id === id) this.#byHash.delete(hash);
  }

  live(): ApiToken[] {
    return [...this.#byHash.values()];
  }
}
