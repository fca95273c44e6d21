import { z } from "zod";
import type { OptionSpec } from "./option-spec.ts";
import { absolutePathSchema } from "./paths.ts";

/** What every client command (session, lab, run, hosts, queue) takes: where the broker is and how to print. */
export const clientOptions = {
  broker: {
    flag: "broker",
    short: "b",
    env: "LABBROKER_URL",
    kind: "string",
    placeholder: "URL",
    description: "Broker URL (default: $REMOTE_LAB_URL, else http://localhost:8000)",
  },
  token: {
    flag: "token",
    env: "LABBROKER_TOKEN",
    kind: "string",
    placeholder: "TOKEN",
    description: "API token (default: credentials in the URL, then --token-file, then ./data/admin-token)",
  },
  tokenFile: {
    flag: "token-file",
    env: "LABBROKER_TOKEN_FILE",
    kind: "string",
    placeholder: "FILE",
    description: "Read the API token from this file",
  },
  caFile: {
    flag: "ca-file",
    env: "LABBROKER_CA_FILE",
    kind: "string",
    placeholder: "FILE",
    description: "Trust the broker's HTTPS certificate issued by this PEM CA (or self-signed)",
  },
  json: { flag: "json", kind: "boolean", description: "Print JSON for scripts instead of text" },
} satisfies Record<string, OptionSpec>;

export const sessionOption = {
  session: {
    flag: "session",
    short: "s",
    env: "LABBROKER_SESSION",
    kind: "string",
    placeholder: "ID",
    description: "The session to act in (from 'labbroker session create')",
  },
} satisfies Record<string, OptionSpec>;

export const waitTimeoutOption = {
  waitTimeout: {
    flag: "wait-timeout",
    env: "LABBROKER_WAIT_TIMEOUT",
    kind: "string",
    placeholder: "SECONDS",
    description: "Stop waiting after this long and exit 3 (default: wait as long as it takes)",
  },
} satisfies Record<string, OptionSpec>;

export const clientConfigSchema = z.object({
  broker: z.string().url("must be a URL such as http://broker.lab:8000").optional(),
  token: z.string().min(1).optional(),
  tokenFile: absolutePathSchema.optional(),
  caFile: absolutePathSchema.optional(),
  json: z.boolean().default(false),
});

/** An empty value (`--session ""`, an unset CI variable) means no session, like leaving it out. */
export const sessionIdSchema = z
  .string()
  .max(64)
  .optional()
  .transform((id) => id || undefined);

export const waitTimeoutSchema = z.coerce.number({ error: "must be a number of seconds" }).positive("must be more than 0 seconds")
  .optional();

export type ClientConfig = z.infer<typeof clientConfigSchema>;
