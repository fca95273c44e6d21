import { describe, expect, test } from "bun:test";
import { join, resolve } from "node:path";
import { brokerConfigSchema, brokerOptions } from "../src/config/broker-options.ts";
import { parseConfig, UsageError } from "../src/cli/command.ts";
import { parseCommandArgv } from "../src/cli/parse-argv.ts";
import { brokerCommand } from "../src/cli/commands/broker.ts";
import { serveCommand, serveConfigSchema } from "../src/cli/commands/serve.ts";
import { runCliCaptured } from "./support/run-cli-in-process.ts";

const parseBrokerConfig = (argv: string[], env: Record<string, string> = {}) =>
  parseConfig(brokerConfigSchema, brokerOptions, parseCommandArgv(brokerCommand, argv, env).values);

describe("broker configuration", () => {
  test("defaults work on a fresh machine", () => {
    expect(parseBrokerConfig([])).toMatchObject({
      port: 8000,
      host: "0.0.0.0",
      db: `file:${join(process.cwd(), "data/labbroker.db")}`,
      dbSync: "full",
      logLevel: "info",
    });
  });

  test("flags win over LABBROKER_* variables", () => {
    const config = parseBrokerConfig(["--port", "9001"], { LABBROKER_PORT: "9002", LABBROKER_HOST: "127.0.0.1" });
    expect(config.port).toBe(9001);
    expect(config.host).toBe("127.0.0.1");
  });

  test("a plain path becomes a file: URL and server URLs pass through", () => {
    expect(parseBrokerConfig(["--db", "/var/lib/labbroker/db.sqlite"]).db).toBe("file:/var/lib/labbroker/db.sqlite");
    expect(parseBrokerConfig(["--db", "libsql://broker.example.net"]).db).toBe("libsql://broker.example.net");
    expect(parseBrokerConfig(["--db", ":memory:"]).db).toBe(":memory:");
  });

  test("relative paths, given or default, are resolved once against the folder the process started in", () => {
    expect(parseBrokerConfig(["--db", "file:state/broker.db?mode=rwc"]).db).toBe(`file:${join(process.cwd(), "state/broker.db")}?mode=rwc`);
    expect(parseBrokerConfig([], { LABBROKER_DB: "state/broker.db" }).db).toBe(`file:${join(process.cwd(), "state/broker.db")}`);
    expect(parseBrokerConfig(["--db", "file:///var/lib/labbroker.db"]).db).toBe("file:///var/lib/labbroker.db");
    const serve = (argv: string[]) => parseConfig(serveConfigSchema, serveCommand.options, parseCommandArgv(serveCommand, argv, {}).values);
    expect(serve([]).workDir).toBe(join(process.cwd(), "data/agent"));
    expect(serve(["--work-dir", "../agent-state"]).workDir).toBe(resolve(process.cwd(), "../agent-state"));
    expect(serve(["--work-dir", "/srv/agent"]).workDir).toBe("/srv/agent");
  });

  test.each([
    [["--port", "eighty"], {}, "--port / LABBROKER_PORT"],
    [["--port", "70000"], {}, "--port / LABBROKER_PORT"],
    [[], { LABBROKER_PORT: "-1" }, "--port / LABBROKER_PORT"],
    [["--log-level", "loud"], {}, "--log-level / LABBROKER_LOG_LEVEL"],
    [["--db", "ftp://somewhere/db"], {}, "--db / LABBROKER_DB"],
    [["--db-sync", "sometimes"], {}, "--db-sync / LABBROKER_DB_SYNC"],
  ])("invalid %p %p names the field", (argv, env, field) => {
    expect(() => parseBrokerConfig(argv, env)).toThrow(UsageError);
    expect(() => parseBrokerConfig(argv, env)).toThrow(`invalid ${field}:`);
  });

  test("an offline window shorter than an agent needs to notice a lost poll and retry is refused, saying why", () => {
    expect(() => parseBrokerConfig(["--agent-offline-after", "5"])).toThrow(
      "invalid --agent-offline-after / LABBROKER_AGENT_OFFLINE_AFTER: must be at least 10 seconds: an agent that lost a poll needs up to 5 s to notice",
    );
    expect(parseBrokerConfig([], { LABBROKER_AGENT_OFFLINE_AFTER: "10" }).agentOfflineAfter).toBe(10);
  });

  test("--anonymous user on an address other hosts reach must be confirmed with --anonymous-on-network; TLS needs cert and key", () => {
    expect(() => parseBrokerConfig(["--anonymous", "user"])).toThrow(
      'invalid --anonymous / LABBROKER_ANONYMOUS: "user" on 0.0.0.0 lets anyone who reaches the port run commands as root on every lab host',
    );
    expect(parseBrokerConfig(["--anonymous", "user", "--host", "127.0.0.1"]).anonymous).toBe("user");
    expect(parseBrokerConfig(["--anonymous", "user", "--anonymous-on-network"]).anonymousOnNetwork).toBe(true);
    expect(() => parseBrokerConfig(["--anonymous", "everyone"])).toThrow("invalid --anonymous / LABBROKER_ANONYMOUS");
    expect(() => parseBrokerConfig(["--tls-cert", "cert.pem"])).toThrow(
      "invalid --tls-key / LABBROKER_TLS_KEY: HTTPS needs both --tls-cert and --tls-key",
    );
  });

  test("--public-url must be a URL", () => {
    expect(() => parseBrokerConfig(["--public-url", "broker.lab"])).toThrow("invalid --public-url / LABBROKER_PUBLIC_URL: must be a URL");
    expect(parseBrokerConfig(["--public-url", "http://proxy.lab:8081/lb"]).publicUrl).toBe("http://proxy.lab:8081/lb");
  });
});

describe("command line", () => {
  test("an unknown subcommand exits 2 with one error line, the closest command and where to look", async () => {
    expect(await runCliCaptured(["quue"])).toEqual({
      code: 2,
      stdout: "",
      stderr: 'labbroker: unknown command "quue" (did you mean "queue"?)\nRun \'labbroker --help\' for usage.\n',
    });
    expect((await runCliCaptured(["frobnicate"])).stderr.split("\n")[0]).toBe('labbroker: unknown command "frobnicate"');
    expect((await runCliCaptured(["help", "sesion"])).stderr).toStartWith(
      'labbroker help: unknown command "sesion" (did you mean "session"?)\n',
    );
  });

  test("a usage error is one line and where to find the usage, not the whole usage", async () => {
    expect(await runCliCaptured(["broker", "--bogus"])).toEqual({
      code: 2,
      stdout: "",
      stderr: "labbroker broker: Unknown option '--bogus'\nRun 'labbroker broker --help' for usage.\n",
    });
    expect(await runCliCaptured(["session", "start"])).toEqual({
      code: 2,
      stdout: "",
      stderr:
        "labbroker session: expected one of create, show, list, end, summary, keepalive, manifest, not \"start\"\nRun 'labbroker session --help' for usage.\n",
    });
  });

  test("no arguments exits 2 with the command list on stderr; --help and help print it on stdout, help included", async () => {
    const bare = await runCliCaptured([]);
    expect(bare.code).toBe(2);
    expect(bare.stdout).toBe("");
    expect(bare.stderr).toStartWith("Usage: labbroker <command> [options]\n");
    expect(bare.stderr).toMatch(/^ {2}queue {2,}/m);
    for (const argv of [["--help"], ["-h"], ["help"]]) {
      expect(await runCliCaptured(argv)).toEqual({ code: 0, stdout: bare.stderr, stderr: "" });
    }
    expect(bare.stderr).toMatch(/^ {2}help {2,}List the commands, or show one command's help$/m);
    expect((await runCliCaptured(["help", "queue"])).stdout).toStartWith("Usage: labbroker queue");
  });

  test("client options given before the command are the command's; other leading flags are refused", async () => {
    const late = await runCliCaptured(["hosts", "--broker", "http://127.0.0.1:1", "--json"], {}, { signal: new AbortController().signal });
    const early = await runCliCaptured(["--broker", "http://127.0.0.1:1", "--json", "hosts"], {}, { signal: new AbortController().signal });
    const joined = await runCliCaptured(["--broker=http://127.0.0.1:1", "hosts"], {}, { signal: new AbortController().signal });
    expect(late.code).toBe(1);
    expect(early).toEqual(late);
    expect(joined).toEqual(late);
    expect(early.stderr).toStartWith("labbroker hosts: Cannot reach the broker at http://127.0.0.1:1:");
    expect((await runCliCaptured(["--port", "9000", "broker"])).stderr).toStartWith(
      "labbroker: unknown option '--port' before the command",
    );
    expect((await runCliCaptured(["--broker"])).stderr).toStartWith("labbroker: option '--broker' needs a value\n");
  });

  test("invalid configuration exits 2 naming the field", async () => {
    const result = await runCliCaptured(["broker"], { LABBROKER_PORT: "not-a-port" });
    expect(result.code).toBe(2);
    expect(result.stderr).toStartWith("labbroker broker: invalid --port / LABBROKER_PORT:");
  });

  test("every command has --help", async () => {
    const listing = await runCliCaptured(["help"]);
    const names = [...listing.stdout.matchAll(/^ {2}(\S+) {2,}/gm)].map((match) => match[1]!);
    expect(names).toContain("serve");
    for (const name of names) {
      const result = await runCliCaptured([name, "--help"]);
      expect(result.code).toBe(0);
      expect(result.stdout).toStartWith(`Usage: labbroker ${name}`);
    }
  });

  test("version prints the version", async () => {
    const result = await runCliCaptured(["version"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^labbroker \d+\.\d+\.\d+ \(commit /);
  });
});
