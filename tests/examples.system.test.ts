import { afterAll, describe, expect, test } from "bun:test";
import { TEST_ADMIN_TOKEN } from "./support/test-broker.ts";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { COMMANDS } from "../src/cli/commands/index.ts";
import { parseCommandArgv } from "../src/cli/parse-argv.ts";
import { classifyTopology } from "../src/engine/labs/classify-topology.ts";
import { splitWords } from "../src/topology/shell-words.ts";
import { LabCluster } from "./support/lab-cluster.ts";
import { isRoot, NEEDS_ROOT } from "./support/native-labs.ts";
import { environmentWithoutLabbroker } from "./support/processes.ts";
import { http } from "./support/http.ts";

const EXAMPLES = join(import.meta.dir, "../examples");
const read = (path: string) => readFileSync(join(EXAMPLES, path), "utf8");

/**
 * Every `labbroker …` invocation in a CI snippet as argv: commands at the start of a shell line or
 * inside `"$(…)"`, with continuations joined and other command substitutions stubbed.
 */
function labbrokerInvocations(snippet: string): string[][] {
  const invocations: string[][] = [];
  for (const line of snippet.replace(/\\\n\s*/g, " ").split("\n")) {
    const shellLine = line.trim().replace(/^-\s+/, "").replace(/^run:\s*/, "");
    const substitution = shellLine.indexOf('"$(labbroker ');
    const start = shellLine.startsWith("labbroker ") ? 0 : substitution >= 0 ? substitution + '"$('.length : -1;
    if (start < 0) continue;
    const rest = shellLine.slice(start + "labbroker ".length).replace(/"\$\((?!labbroker)[^)]*\)"/g, "VALUE").replace(/\)"\s*$/, "");
    invocations.push(splitWords(rest).words);
  }
  return invocations;
}

describe("examples", () => {
  test("the containerlab and netlab topologies are read as such (the native runtime runs the FRR example as written)", () => {
    const classify = (path: string, topologyFile: string) =>
      classifyTopology({ topologyFile, topology: new TextEncoder().encode(read(path)), extraFiles: [] });
    expect(classify("topologies/native-routed-line.clab.yml", "native-routed-line.clab.yml")).toMatchObject({
      kind: "containerlab",
      nodes: ["h1", "r1", "h2"],
      notes: [],
    });
    const frr = classify("topologies/containerlab-frr/frr-ospf.clab.yml", "frr-ospf.clab.yml");
    expect(frr).toMatchObject({ kind: "containerlab", nodes: ["r1", "r2"], notes: [] });
    expect(classify("topologies/netlab-ospf/topology.yml", "topology.yml")).toMatchObject({ kind: "netlab", nodes: ["r1", "r2", "r3"] });
  });

  test.each(["ci/github-actions.yml", "ci/gitlab-ci.yml"])("%s is valid YAML whose labbroker commands and flags exist", (path) => {
    expect(() => parse(read(path))).not.toThrow();
    const invocations = labbrokerInvocations(read(path));
    expect(invocations.map((argv) => argv.slice(0, 2).join(" "))).toEqual(["session create", "lab up", "run r1", "session end"]);
    for (const [name, ...argv] of invocations) {
      const command = COMMANDS.find((candidate) => candidate.name === name);
      expect(command ? "" : `unknown command ${name}`).toBe("");
      expect(() => parseCommandArgv(command!, argv, {})).not.toThrow();
    }
  });

  test.each(["ci/buildkite.yml", "ci/Jenkinsfile"])(
    "%s creates the session with --shell, ends it on exit, and its labbroker commands and flags exist",
    (path) => {
      if (path.endsWith(".yml")) expect(() => parse(read(path))).not.toThrow();
      const invocations = labbrokerInvocations(read(path));
      expect(invocations.map((argv) => argv.slice(0, 2).join(" "))).toEqual(["session create", "lab up", "run r1"]);
      expect(invocations[0]).toContain("--shell");
      expect(read(path)).toContain("trap 'labbroker session end' EXIT");
      for (const [name, ...argv] of invocations) {
        expect(() => parseCommandArgv(COMMANDS.find((candidate) => candidate.name === name)!, argv, {})).not.toThrow();
      }
    },
  );

  test("CI snippets create the session with --shell and end it in a step that always runs", () => {
    const github = parse(read("ci/github-actions.yml")).jobs["lab-tests"].steps as { run?: string; if?: string }[];
    expect(github.find((step) => step.run?.includes("session create --shell"))).toBeDefined();
    expect(github.at(-1)).toMatchObject({ if: "always()", run: "labbroker session end" });
    const gitlab = parse(read("ci/gitlab-ci.yml"))["lab-tests"];
    expect(gitlab.before_script.join("\n")).toContain("session create --shell");
    expect(gitlab.after_script.join("\n")).toContain("labbroker session end");
  });
});

const cluster = new LabCluster();
afterAll(() => cluster.stop());

describe.skipIf(!isRoot)(`the bun:test example suite${isRoot ? "" : ` (${NEEDS_ROOT})`}`, () => {
  test("runs green from its folder against a broker, and leaves no session behind", async () => {
    await cluster.startBroker();
    await cluster.startAgent({ name: "example-host" });
    const suite = Bun.spawn([process.execPath, "test"], {
      cwd: join(EXAMPLES, "bun-test"),
      env: { ...environmentWithoutLabbroker(), LABBROKER_URL: cluster.url, LABBROKER_TOKEN: TEST_ADMIN_TOKEN },
      stdout: "pipe",
      stderr: "pipe",
    });
    const [code, stdout, stderr] = await Promise.all([suite.exited, new Response(suite.stdout).text(), new Response(suite.stderr).text()]);
    const output = stdout + stderr;
    expect(output).toContain(" 4 pass");
    expect({ code, failures: output.match(/^\(fail\).*$/gm) ?? [] }).toEqual({ code: 0, failures: [] });
    const sessions = (await http("GET", `${cluster.url}/v1/sessions?state=ended`)).json as {
      items: { end_reason: string; client: { name?: string } }[];
    };
    expect(sessions.items.map((session) => [session.client.name, session.end_reason])).toEqual([["example: routed line", "released"]]);
  }, 60_000);
});
