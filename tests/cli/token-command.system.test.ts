import { afterAll, beforeAll, expect, test } from "bun:test";
import { agentOptions } from "../../src/config/agent-options.ts";
import { warnSecretsOnCommandLine } from "../../src/cli/secret-flags.ts";
import { createLogger } from "../../src/log.ts";
import { LabCluster } from "../support/lab-cluster.ts";
import { runCliCaptured } from "../support/run-cli-in-process.ts";

const cluster = new LabCluster();
beforeAll(() => cluster.startBroker());
afterAll(() => cluster.stop());

const cli = (argv: string[], env: Record<string, string> = {}) =>
  runCliCaptured(argv, { LABBROKER_URL: cluster.url, ...env }, { signal: new AbortController().signal });

test("token create prints the token once on stdout; list shows it without the secret; revoke stops it at once", async () => {
  const created = await cli(["token", "create", "nightly", "--role", "user", "--max-priority", "3"]);
  expect(created.code).toBe(0);
  const token = created.stdout.trim();
  expect(token).toMatch(/^lbt_[A-Za-z0-9_-]{43}$/);
  expect(created.stderr).toStartWith('Token "nightly" (user, id ');
  expect((await cli(["hosts"], { LABBROKER_TOKEN: token })).code).toBe(0);
  const listed = await cli(["token", "list"]);
  expect(listed.stdout).toMatch(/nightly +user +3 +- +never +- +admin/);
  expect(listed.stdout).not.toContain(token);
  expect(await cli(["token", "revoke", "nightly"])).toMatchObject({ code: 0, stdout: expect.stringContaining('Token "nightly"') });
  const refused = await cli(["hosts"], { LABBROKER_TOKEN: token });
  expect([refused.code, refused.stderr]).toEqual([1, "labbroker hosts: The token is unknown, revoked or expired (401 Unauthorized)\n"]);
  expect((await cli(["token", "create", "x", "--role", "owner"])).code).toBe(2);
  expect((await cli(["token", "create", "x"], { LABBROKER_TOKEN: token })).code).toBe(1);
});

test("a secret given as a flag is warned about; the same value from its variable is not", () => {
  const warnings: unknown[] = [];
  const log = createLogger({ level: "warn", write: (line) => warnings.push(JSON.parse(line).msg) });
  warnSecretsOnCommandLine(
    { values: { token: "lbe_from-the-environment" }, env: { LABBROKER_ENROLL_TOKEN: "lbe_from-the-environment" } },
    agentOptions,
    ["token"],
    log,
  );
  expect(warnings).toEqual([]);
  warnSecretsOnCommandLine({ values: { token: "lbe_typed-on-the-command-line" }, env: {} }, agentOptions, ["token"], log);
  expect(warnings).toEqual([
    "--token puts a secret on the command line, where every user of this machine can read it; use LABBROKER_ENROLL_TOKEN or --token-file instead",
  ]);
});
