import { describe, expect, test } from "bun:test";
import { brokerConfigSchema, brokerOptions } from "../src/config/broker-options.ts";
import { parseOptions, UsageError } from "../src/cli/command.ts";
import { parseCommandArgv } from "../src/cli/parse-argv.ts";
import { brokerCommand } from "../src/cli/commands/broker.ts";
import { runCliCaptured } from "./support/run-cli-in-process.ts";

const parseBrokerConfig = (argv: string[], env: Record<string, string> = {}) =>
  parseOptions(brokerConfigSchema, brokerOptions, parseCommandArgv(brokerCommand, argv, env).values);

describe("broker configuration", () => {
  test("defaults work on a fresh machine", () => {
    expect(parseBrokerConfig([])).toMatchObject({
      port: 8000,
      host: "0.0.0.0",
      db: "file:./data/labbroker.db",
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

  test("--public-url must be a URL", () => {
    expect(() => parseBrokerConfig(["--public-url", "broker.lab"])).toThrow("invalid --public-url / LABBROKER_PUBLIC_URL: must be a URL");
    expect(parseBrokerConfig(["--public-url", "http://proxy.lab:8081/lb"]).publicUrl).toBe("http://proxy.lab:8081/lb");
  });
});

describe("command line", () => {
  test("an unknown subcommand exits 2 with one error line and the usage", async () => {
    const result = await runCliCaptured(["frobnicate"]);
    expect(result.code).toBe(2);
    expect(result.stderr.split("\n")[0]).toBe('labbroker: unknown command "frobnicate"');
    expect(result.stderr).toContain("Usage: labbroker <command>");
  });

  test("an unknown flag exits 2 with one error line and the command's usage", async () => {
    const result = await runCliCaptured(["broker", "--bogus"]);
    expect(result.code).toBe(2);
    expect(result.stderr.split("\n")[0]).toBe("labbroker broker: Unknown option '--bogus'");
    expect(result.stderr).toContain("Usage: labbroker broker [options]");
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
