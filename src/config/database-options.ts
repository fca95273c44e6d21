import { z } from "zod";
import { absoluteFileUrl } from "./paths.ts";
import { type OptionTable, optionTableSchema } from "./option-spec.ts";

const SERVER_URL = /^(libsql|https?|wss?):\/\/\S+$/;

/** Accepts `:memory:`, `file:` URLs, server URLs, and plain paths (turned into absolute `file:` URLs). */
const databaseUrlSchema = z
  .string()
  .min(1, "must not be empty")
  .refine((value) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(value) || SERVER_URL.test(value) || value.startsWith("file:"), {
    message: "expected :memory:, file:PATH, a path, or a libsql://, http(s):// or ws(s):// URL",
  })
  .transform((
    value,
  ) => (value === ":memory:" || SERVER_URL.test(value) ? value : absoluteFileUrl(value.startsWith("file:") ? value : `file:${value}`)));

/** Where the broker's database is; `broker`, `serve`, `migrate` and `enroll-token` share these. */
export const databaseOptions = {
  db: {
    flag: "db",
    env: "LABBROKER_DB",
    kind: "string",
    placeholder: "URL",
    description: "Database: file:PATH, :memory:, or libsql:// / https:// URL",
    schema: databaseUrlSchema,
    // Goes through the schema like a given path, so it becomes absolute too.
    default: "file:./data/labbroker.db",
  },
  dbAuthToken: {
    flag: "db-auth-token",
    env: "LABBROKER_DB_AUTH_TOKEN",
    kind: "string",
    placeholder: "TOKEN",
    description: "Auth token for a libSQL server URL",
    schema: z.string().min(1).optional(),
  },
  dbSync: {
    flag: "db-sync",
    env: "LABBROKER_DB_SYNC",
    kind: "string",
    placeholder: "full|normal",
    description: "Commit durability of a file database: full survives power loss, normal a killed process",
    schema: z.enum(["full", "normal"]),
    default: "full",
  },
} satisfies OptionTable;

export const databaseConfigSchema = optionTableSchema(databaseOptions);

export type DatabaseConfig = z.infer<typeof databaseConfigSchema>;
