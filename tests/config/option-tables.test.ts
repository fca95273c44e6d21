import { describe, expect, test } from "bun:test";
import { z } from "zod";
import { type CliCommand, parseOptions, UsageError } from "../../src/cli/command.ts";
import { agentCommand } from "../../src/cli/commands/agent.ts";
import { COMMANDS } from "../../src/cli/commands/index.ts";
import { labCommand } from "../../src/cli/commands/lab.ts";
import { runCommand } from "../../src/cli/commands/run.ts";
import { parseCommandArgv } from "../../src/cli/parse-argv.ts";
import { commandUsage } from "../../src/cli/usage.ts";
import { brokerConfigSchema } from "../../src/config/broker-options.ts";
import { engineSettingsFrom, httpLimitsFrom } from "../../src/config/broker-settings.ts";
import { defaultNote, type OptionSpec } from "../../src/config/option-spec.ts";
import { DEFAULT_ENGINE_SETTINGS } from "../../src/engine/context.ts";
import { DEFAULT_HTTP_LIMITS } from "../../src/routes/http-limits.ts";

const withOptions = COMMANDS.filter((command) => Object.keys(command.options).length > 0);
const rows = (options: Record<string, OptionSpec>) => Object.entries(options);

describe.each(withOptions.map((command) => [command.name, command] as const))("the option table of %s", (_name, command) => {
  test("every option has a flag, help text and a kind its schema reads", () => {
    for (const [key, spec] of rows(command.options)) {
      expect(spec.flag, key).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(spec.description.length, key).toBeGreaterThan(5);
      if (spec.env !== undefined) expect(spec.env, key).toMatch(/^[A-Z][A-Z0-9_]*$/);
      if (spec.kind !== "boolean") expect(spec.placeholder, key).toBeDefined();
    }
  });

  test("flags, short flags and variables are each used once (help, -h, is the parser's)", () => {
    const specs = Object.values(command.options);
    const flags = ["help", ...specs.map((spec) => spec.flag)];
    const shorts = ["h", ...specs.flatMap((spec) => spec.short ?? [])];
    const envs = specs.flatMap((spec) => spec.env ?? []);
    expect(new Set(flags).size).toBe(flags.length);
    expect(new Set(shorts).size).toBe(shorts.length);
    expect(new Set(envs).size).toBe(envs.length);
  });

  test("every default parses with its own schema; an option without one may be left out unless it is required", () => {
    for (const [key, spec] of rows(command.options)) {
      const value = typeof spec.default === "function" ? spec.default() : spec.default;
      if (value !== undefined) expect(spec.schema.safeParse(value).error, key).toBeUndefined();
      if (spec.impliedDefault !== undefined) expect(spec.schema.safeParse(String(spec.impliedDefault)).error, key).toBeUndefined();
      if (value === undefined && !spec.description.includes("(required)")) {
        expect(spec.schema.safeParse(undefined).error, key).toBeUndefined();
      }
    }
  });

  test("the help lists every option with its flag, variable and default", () => {
    const usage = commandUsage(command);
    for (const [key, spec] of rows(command.options)) {
      const line = usage.split("\n").find((text) => text.replace(/^ +(-\w, )?/, "").startsWith(`--${spec.flag} `));
      expect(line, key).toBeDefined();
      expect(line, key).toContain(spec.description);
      if (spec.short) expect(line, key).toContain(`-${spec.short}, `);
      if (spec.env) expect(line, key).toContain(`[env ${spec.env}]`);
      expect(line, key).toContain(defaultNote(spec));
    }
  });
});

describe("bad values", () => {
  const parse = (command: CliCommand, argv: string[], env: Record<string, string> = {}) =>
    parseOptions(command.options, parseCommandArgv(command, argv, env).values);

  test.each(
    [
      [
        agentCommand,
        ["--broker", "http://b:8000", "--capacity", "0"],
        {},
        "invalid --capacity / LABBROKER_AGENT_CAPACITY: must be at least 1",
      ],
      [
        agentCommand,
        ["--broker", "http://b:8000"],
        { LABBROKER_AGENT_HEALTH_GATE: "some" },
        "invalid --health-gate / LABBROKER_AGENT_HEALTH_GATE:",
      ],
      [agentCommand, [], {}, "invalid --broker / LABBROKER_BROKER: is required: the broker URL"],
      [
        labCommand,
        ["up"],
        { LABBROKER_WAIT_TIMEOUT: "soon" },
        "invalid --wait-timeout / LABBROKER_WAIT_TIMEOUT: must be a number of seconds",
      ],
      [runCommand, ["--timeout=0"], {}, "invalid --timeout: must be more than 0 seconds"],
    ] as const,
  )("%#: name the flag and its variable, whichever gave the value", (command, argv, env, message) => {
    expect(() => parse(command, [...argv], env)).toThrow(UsageError);
    expect(() => parse(command, [...argv], env)).toThrow(message);
  });
});

describe("defaults shared with the layers below", () => {
  test("a broker started without flags runs on exactly the engine's and the HTTP layer's own defaults", () => {
    const config = brokerConfigSchema.parse({});
    expect(engineSettingsFrom(config)).toEqual(DEFAULT_ENGINE_SETTINGS);
    expect(httpLimitsFrom(config)).toEqual(DEFAULT_HTTP_LIMITS);
  });

  test("help shows a default as a value, with a gloss, or in words", () => {
    const spec = { flag: "x", kind: "string", description: "X", schema: z.unknown() } as const;
    expect(defaultNote({ ...spec, default: 8000 })).toBe("(default 8000)");
    expect(defaultNote({ ...spec, default: 604800, defaultText: "a week" })).toBe("(default 604800, a week)");
    expect(defaultNote({ ...spec, default: [], defaultText: "any host" })).toBe("(default: any host)");
    expect(defaultNote({ ...spec, impliedDefault: 0 })).toBe("(default 0)");
    expect(defaultNote({ ...spec, default: false })).toBe("");
  });
});
