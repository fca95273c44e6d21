import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { agentOptions } from "../../src/config/agent-options.ts";
import { brokerOptions } from "../../src/config/broker-options.ts";
import { clientOptions, sessionOption, waitTimeoutOption } from "../../src/config/client-options.ts";
import { type OptionTable, shownDefault } from "../../src/config/option-spec.ts";

/** The tables of the README whose columns are flag, variable, default, meaning. */
function documentedRows(): { flag: string; env: string | null; defaultCell: string }[] {
  const readme = readFileSync(join(import.meta.dir, "../../README.md"), "utf8");
  const rows: { flag: string; env: string | null; defaultCell: string }[] = [];
  const lines = readme.split("\n");
  lines.forEach((header, at) => {
    if (!/^\|\s*flag\s*\|\s*variable\s*\|\s*default\s*\|\s*meaning\s*\|$/.test(header)) return;
    for (const line of lines.slice(at + 2)) {
      if (!line.startsWith("|")) break;
      const [flags, envs, defaultCell] = line.split("|").slice(1, 4).map((cell) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!));
      const longFlags = flags!.filter((flag) => flag.startsWith("--"));
      longFlags.forEach((flag, index) => rows.push({ flag, env: envs![index] ?? null, defaultCell: defaultCell!.join(" ") }));
    }
  });
  return rows;
}

const TABLES: Record<string, OptionTable> = {
  "client commands": { ...clientOptions, ...sessionOption, ...waitTimeoutOption },
  broker: brokerOptions,
  agent: agentOptions,
};

const key = (flag: string, env: string | null | undefined) => `--${flag.replace(/^--/, "")} ${env ?? "-"}`;

describe("the configuration reference in the README", () => {
  const documented = documentedRows();

  test.each(Object.entries(TABLES))("documents every %s option with its variable and default", (_name, table) => {
    for (const spec of Object.values(table)) {
      const row = documented.find((candidate) => key(candidate.flag, candidate.env) === key(spec.flag, spec.env));
      expect(row, `--${spec.flag} ${spec.env ?? ""}`).toBeDefined();
      const value = shownDefault(spec);
      if (value !== null) expect(row!.defaultCell.split(" "), `default of --${spec.flag}`).toContain(value);
    }
  });

  test("documents no flag or variable the tables do not have", () => {
    const known = new Set(Object.values(TABLES).flatMap((table) => Object.values(table).map((spec) => key(spec.flag, spec.env))));
    expect(documented.map((row) => key(row.flag, row.env)).filter((entry) => !known.has(entry))).toEqual([]);
  });
});
