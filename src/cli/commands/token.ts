import { z } from "zod";
import type { TokenView } from "../../client/api-types.ts";
import { clientOptions } from "../../config/client-options.ts";
import type { OptionTable } from "../../config/option-spec.ts";
import { secondsSchema } from "../../config/value-schemas.ts";
import { connect, printJson, withClientErrors } from "../client/client-command.ts";
import { textTable } from "../client/text-table.ts";
import { type CliCommand, ExitCode, parseOptions, UsageError } from "../command.ts";

const tokenOptions = {
  ...clientOptions,
  role: {
    flag: "role",
    kind: "string",
    placeholder: "admin|user|viewer",
    description: "create: what the token may do",
    schema: z.enum(["admin", "user", "viewer"]),
    default: "user",
  },
  expiresAt: {
    flag: "expires-at",
    kind: "string",
    placeholder: "TIME",
    description: "create: when it stops working, RFC 3339",
    schema: z.iso.datetime({ offset: true, error: "must be a time such as 2027-01-31T00:00:00Z" }).optional(),
    defaultText: "never",
  },
  // The broker's defaults: the request leaves them out.
  maxPriority: {
    flag: "max-priority",
    kind: "string",
    placeholder: "N",
    description: "create: highest session priority it may ask for",
    schema: z.coerce.number({ error: "must be a whole number" }).int("must be a whole number").min(0, "must be at least 0").optional(),
    impliedDefault: 0,
  },
  maxWalltime: {
    flag: "max-walltime",
    kind: "string",
    placeholder: "SECONDS",
    description: "create: longest walltime, and the right to reserve hosts",
    schema: secondsSchema.optional(),
    defaultText: "no reservations",
  },
} satisfies OptionTable;

export const tokenCommand: CliCommand = {
  name: "token",
  summary: "Create, list and revoke API tokens (admin)",
  positionals: "create NAME | list | revoke ID|NAME",
  options: tokenOptions,
  details: "create prints the new token on stdout, once: the broker keeps only its hash. Give it to the person or\n" +
    "pipeline as LABBROKER_TOKEN (or in the URL for Remote Lab clients: http://NAME:TOKEN@broker:8000).\n" +
    "revoke stops a token at once; the sessions it created stay (admins can end them).",
  async run({ values, positionals, env, io, signal }) {
    const options = parseOptions(tokenOptions, values);
    const [action, target, ...rest] = positionals;
    if (rest.length > 0 || !["create", "list", "revoke"].includes(action ?? "")) {
      throw new UsageError(`expected "create NAME", "list" or "revoke ID|NAME", got "${positionals.join(" ")}"`);
    }
    if (action !== "list" && !target) throw new UsageError(`${action} needs a token ${action === "create" ? "name" : "id or name"}`);
    return withClientErrors("token", io, signal, async () => {
      const broker = connect(options, env);
      if (action === "list") {
        const tokens = await broker.tokens();
        if (options.json) printJson(io, tokens);
        else io.stdout(tokensTable(tokens));
      } else if (action === "revoke") {
        const revoked = await broker.revokeToken(target!);
        if (options.json) printJson(io, revoked);
        else io.stdout(`Token "${revoked.name}" (${revoked.id}) revoked\n`);
      } else {
        const created = await broker.createToken({
          name: target!,
          role: options.role,
          ...(options.expiresAt ? { expires_at: options.expiresAt } : {}),
          ...(options.maxPriority !== undefined ? { max_priority: options.maxPriority } : {}),
          ...(options.maxWalltime !== undefined ? { max_walltime_s: options.maxWalltime } : {}),
        });
        if (options.json) printJson(io, created);
        else {
          io.stdout(`${created.token}\n`);
          io.stderr(
            `Token "${created.name}" (${created.role}, id ${created.id}) created. It is shown only now; the broker keeps only its hash.\n`,
          );
        }
      }
      return ExitCode.ok;
    });
  },
};

function tokensTable(tokens: readonly TokenView[]): string {
  return textTable(
    ["ID", "NAME", "ROLE", "MAX PRIORITY", "MAX WALLTIME", "EXPIRES", "REVOKED", "CREATED BY"],
    tokens.map((token) => [
      token.id,
      token.name,
      token.role,
      String(token.max_priority),
      token.max_walltime_s === null ? "-" : `${token.max_walltime_s}s`,
      token.expires_at ?? "never",
      token.revoked_at ?? "-",
      token.created_by,
    ]),
  );
}
