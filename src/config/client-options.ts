import { z } from "zod";
import { type OptionTable, type OptionValues, switchOption } from "./option-spec.ts";
import { absolutePathSchema } from "./paths.ts";
import { secondsSchema, urlSchema } from "./value-schemas.ts";

/** What every client command (session, lab, run, hosts, queue) takes: where the broker is and how to print. */
/** A PEM CA to trust for the broker's HTTPS: clients and agents alike. */
export const caFileOption = {
  flag: "ca-file",
  env: "LABBROKER_CA_FILE",
  kind: "string",
  placeholder: "FILE",
  description: "Trust the broker's HTTPS certificate issued by this PEM CA (or self-signed)",
  schema: absolutePathSchema.optional(),
} as const;

export const clientOptions = {
  broker: {
    flag: "broker",
    short: "b",
    env: "LABBROKER_URL",
    kind: "string",
    placeholder: "URL",
    description: "Broker URL",
    schema: urlSchema.optional(),
    defaultText: "$REMOTE_LAB_URL, else http://localhost:8000",
  },
  token: {
    flag: "token",
    env: "LABBROKER_TOKEN",
    kind: "string",
    placeholder: "TOKEN",
    description: "API token",
    schema: z.string().min(1).optional(),
    defaultText: "credentials in the URL, then --token-file, then ./data/admin-token",
  },
  tokenFile: {
    flag: "token-file",
    env: "LABBROKER_TOKEN_FILE",
    kind: "string",
    placeholder: "FILE",
    description: "Read the API token from this file",
    schema: absolutePathSchema.optional(),
  },
  caFile: caFileOption,
  json: switchOption({ flag: "json", description: "Print JSON for scripts instead of text" }),
} satisfies OptionTable;

export const sessionOption = {
  session: {
    flag: "session",
    short: "s",
    env: "LABBROKER_SESSION",
    kind: "string",
    placeholder: "ID",
    description: "The session to act in (from 'labbroker session create')",
    // An empty value (`--session ""`, an unset CI variable) means no session, like leaving it out.
    schema: z.string().max(64).optional().transform((id) => id || undefined),
  },
} satisfies OptionTable;

export const waitTimeoutOption = {
  waitTimeout: {
    flag: "wait-timeout",
    env: "LABBROKER_WAIT_TIMEOUT",
    kind: "string",
    placeholder: "SECONDS",
    description: "Stop waiting after this long and exit 3",
    schema: secondsSchema.optional(),
    defaultText: "wait as long as it takes",
  },
} satisfies OptionTable;

export type ClientConfig = OptionValues<typeof clientOptions>;
