import { z } from "zod";
import type { OptionSpec } from "../cli/command.ts";
import { LOG_LEVELS } from "../log.ts";

/** Flags and variables of the broker; `serve` and `migrate` reuse parts of this table. */
export const brokerOptions = {
  port: { flag: "port", short: "p", env: "LABBROKER_PORT", kind: "string", placeholder: "PORT", description: "TCP port to listen on (default 8000)" },
  host: { flag: "host", env: "LABBROKER_HOST", kind: "string", placeholder: "ADDR", description: "Address to bind (default 0.0.0.0)" },
  db: { flag: "db", env: "LABBROKER_DB", kind: "string", placeholder: "URL", description: "Database: file:PATH, :memory:, or libsql:// / https:// URL (default file:./data/labbroker.db)" },
  dbAuthToken: { flag: "db-auth-token", env: "LABBROKER_DB_AUTH_TOKEN", kind: "string", placeholder: "TOKEN", description: "Auth token for a libSQL server URL" },
  dbSync: { flag: "db-sync", env: "LABBROKER_DB_SYNC", kind: "string", placeholder: "full|normal", description: "Commit durability of a file database: full survives power loss, normal a killed process (default full)" },
  logLevel: { flag: "log-level", env: "LABBROKER_LOG_LEVEL", kind: "string", placeholder: "LEVEL", description: "debug, info, warn or error (default info)" },
} satisfies Record<string, OptionSpec>;

const SERVER_URL = /^(libsql|https?|wss?):\/\/\S+$/;

/** Accepts `:memory:`, `file:` URLs, server URLs, and plain paths (turned into `file:` URLs). */
export const databaseUrlSchema = z
  .string()
  .min(1, "must not be empty")
  .refine((value) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(value) || SERVER_URL.test(value) || value.startsWith("file:"), {
    message: "expected :memory:, file:PATH, a path, or a libsql://, http(s):// or ws(s):// URL",
  })
  .transform((value) => (value === ":memory:" || value.startsWith("file:") || SERVER_URL.test(value) ? value : `file:${value}`));

export const databaseConfigSchema = z.object({
  db: databaseUrlSchema.default("file:./data/labbroker.db"),
  dbAuthToken: z.string().min(1).optional(),
  dbSync: z.enum(["full", "normal"]).default("full"),
});

export const logLevelSchema = z.enum(LOG_LEVELS).default("info");

export const brokerConfigSchema = databaseConfigSchema.extend({
  port: z.coerce.number({ error: "must be a port number from 0 to 65535" }).int("must be a port number from 0 to 65535").min(0, "must be a port number from 0 to 65535").max(65535, "must be a port number from 0 to 65535").default(8000),
  host: z.string().min(1).default("0.0.0.0"),
  logLevel: logLevelSchema,
});

export type BrokerConfig = z.infer<typeof brokerConfigSchema>;
export type DatabaseConfig = z.infer<typeof databaseConfigSchema>;
