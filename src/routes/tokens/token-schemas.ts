import { z } from "@hono/zod-openapi";
import { TOKEN_ROLES } from "../../engine/access/principal.ts";
import type { ApiToken } from "../../engine/access/token-registry.ts";
import { isoTime, IsoTimeSchema } from "../iso-time.ts";

/** Token names are actors in events and logs: short, printable, no spaces. */
export const TokenNameSchema = z.string().regex(
  /^[A-Za-z0-9][A-Za-z0-9._@-]{0,62}$/,
  "token names are 1-63 letters, digits, '.', '_', '@' or '-', starting with a letter or digit",
);

export const CreateTokenBodySchema = z
  .object({
    name: TokenNameSchema.openapi({
      description: "Who uses it (a person, a pipeline); the actor in events and logs",
      example: "ci-nightly",
    }),
    role: z.enum(TOKEN_ROLES).openapi({
      description: "admin: everything; user: creates sessions and acts in its own; viewer: read-only listings",
    }),
    expires_at: z.iso.datetime({ offset: true }).optional().openapi({ description: "When it stops working (default: never)" }),
    max_priority: z.number().int().min(0).max(1_000_000).default(0).openapi({
      description: "Highest session priority it may ask for (default 0, the default priority)",
    }),
    max_walltime_s: z
      .number()
      .positive()
      .max(31_536_000)
      .optional()
      .openapi({ description: "Longest walltime it may ask for; reservations (start_at) need it (default: no reservations)" }),
  })
  .strict()
  .openapi("CreateToken", { example: { name: "ci-nightly", role: "user", max_walltime_s: 7200 } });

export const TokenViewSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    role: z.enum(TOKEN_ROLES),
    max_priority: z.number().int(),
    max_walltime_s: z.number().nullable(),
    created_at: IsoTimeSchema,
    created_by: z.string(),
    expires_at: IsoTimeSchema.nullable(),
    revoked_at: IsoTimeSchema.nullable(),
  })
  .openapi("Token");

export const CreatedTokenSchema = TokenViewSchema.extend({
  token: z.string().openapi({ description: "The secret: shown only in this answer, stored only as a hash" }),
}).openapi("CreatedToken");

/** A token as the API shows it: never its hash. */
export function toTokenView(token: ApiToken): z.infer<typeof TokenViewSchema> {
  return {
    id: token.id,
    name: token.name,
    role: token.role,
    max_priority: token.maxPriority,
    max_walltime_s: token.maxWalltimeMs === null ? null : token.maxWalltimeMs / 1000,
    created_at: isoTime(token.createdAt)!,
    created_by: token.createdBy,
    expires_at: isoTime(token.expiresAt),
    revoked_at: isoTime(token.revokedAt),
  };
}
