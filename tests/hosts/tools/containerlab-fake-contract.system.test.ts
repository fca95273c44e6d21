import { afterEach, beforeEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCommand, type RunResult } from "../../../src/hosts/command-runner.ts";
import { FIXTURES } from "../../support/reference-fixtures.ts";
import { keyTypes } from "./json-shape.ts";
import { ToolSandbox } from "./tool-sandbox.ts";

setDefaultTimeout(30_000);

const fixture = (path: string) => readFileSync(join(FIXTURES, "containerlab", path), "utf8");
const DOCUMENTED_ERRORS = fixture("errors.synth.txt").split("\n");

let sandbox: ToolSandbox;
beforeEach(() => {
  sandbox = new ToolSandbox();
});
afterEach(() => sandbox.remove());

function containerlab(args: string[], cwd = sandbox.labsRoot): Promise<RunResult> {
  return runCommand(["containerlab", ...args], { cwd, timeoutMs: 20_000, env: sandbox.environment });
}

function withTopology(file: string, text = fixture(file)): string {
  writeFileSync(join(sandbox.labsRoot, file), text);
  return file;
}

describe("fake containerlab against the containerlab fixtures", () => {
  test("inspect JSON records have the keys and types of ContainerDetails (with and without group)", async () => {
    copyFileSync(join(FIXTURES, "containerlab", "topo.frr01.clab.yml"), join(sandbox.labsRoot, "frr01.clab.yml"));
    expect((await containerlab(["deploy", "-t", "frr01.clab.yml"])).code).toBe(0);
    const frr01 = JSON.parse((await containerlab(["inspect", "--name", "frr01", "--format", "json"])).stdout) as Record<string, unknown[]>;
    const reference = JSON.parse(fixture("inspect.frr01.synth.json")) as Record<string, unknown[]>;
    expect(Object.keys(frr01)).toEqual(Object.keys(reference));
    for (const record of frr01.frr01!) expect(keyTypes(record)).toEqual(keyTypes(reference.frr01![0]));
    expect(frr01.frr01!.map((record) => (record as { name: string }).name)).toEqual(
      reference.frr01!.map((record) => (record as { name: string }).name),
    );

    withTopology("topo.01-linux-nodes.clab.yml");
    expect((await containerlab(["deploy", "-t", "topo.01-linux-nodes.clab.yml"])).code).toBe(0);
    const linux = JSON.parse((await containerlab(["inspect", "-t", "topo.01-linux-nodes.clab.yml", "-f", "json"])).stdout) as Record<
      string,
      Record<string, unknown>[]
    >;
    const vlan = JSON.parse(fixture("inspect.name-vlan.json")) as Record<string, unknown[]>;
    const [l1, l2] = linux["2-linux-nodes"]!;
    expect(keyTypes(l2)).toEqual(keyTypes(vlan.vlan![0]));
    // What containerlab's own smoke test asserts for this topology (tests/01-smoke/01-basic-flow.robot).
    expect([l1!.name, l2!.kind, l2!.ipv4_address]).toEqual(["clab-2-linux-nodes-l1", "linux", "172.20.20.100/24"]);
  });

  test("no containers is {} and CSV has the documented header", async () => {
    const empty = await containerlab(["inspect", "--all", "--format", "json"]);
    expect([empty.code, JSON.parse(empty.stdout)]).toEqual([0, JSON.parse(fixture("inspect.empty.json"))]);
    withTopology("topo.28-node-lifecycle.clab.yml");
    sandbox.setDockerImages(["alpine:3", "ghcr.io/nokia/srlinux"]);
    expect((await containerlab(["deploy", "-t", "topo.28-node-lifecycle.clab.yml"])).code).toBe(0);
    const [header, ...rows] = (await containerlab(["inspect", "--all", "--format", "csv"])).stdout.trim().split("\n");
    const [referenceHeader] = fixture("inspect.name-vlan.csv").split("\n");
    expect(header).toBe(referenceHeader!);
    expect(rows.map((row) => row.split(",").length)).toEqual([12, 12]);
  });

  test("deploy -f json keeps stdout pure JSON and logs on stderr", async () => {
    const file = withTopology("topo.frr01.clab.yml");
    const result = await containerlab(["deploy", "-t", file, "-f", "json"]);
    expect(Object.keys(JSON.parse(result.stdout) as object)).toEqual(["frr01"]);
    expect(result.stderr.trim().split("\n").every((line) => /^\d\d:\d\d:\d\d (INFO|WARN) /.test(line))).toBe(true);
    const again = await containerlab(["destroy", "-t", file, "--cleanup"]);
    const twice = await containerlab(["destroy", "-t", file, "--cleanup"]);
    expect([again.code, twice.code]).toEqual([0, 0]);
    expect(twice.stderr).toContain("INFO no containerlab containers found");
  });

  test("version prints the block netlab's probe parses, and the documented JSON", async () => {
    const text = await containerlab(["version"]);
    const labels = (output: string) => output.trimEnd().split("\n").map((line) => line.split(":")[0]!.trim());
    expect(labels(text.stdout)).toEqual(labels(fixture("version.synth.txt")));
    const probe = await runCommand(["bash", "-c", "[[ `containerlab version|awk '/version/ {print $2}'` > '0.71.999' ]] && echo OK"], {
      timeoutMs: 20_000,
      env: sandbox.environment,
    });
    expect(probe.stdout).toBe("OK\n");
    expect(keyTypes(JSON.parse((await containerlab(["version", "--json"])).stdout))).toEqual(
      keyTypes(JSON.parse(fixture("version.json.synth.json"))),
    );
  });

  // CL:core/destroy.go:90-98, 114-141, 249-260 (upstream issue #2892).
  test("destroy -t FILE --name X rebuilds the lab from the file alone: a lab deployed as X keeps its containers, its lab dir goes", async () => {
    const file = withTopology("frr01.clab.yml", fixture("topo.frr01.clab.yml"));
    expect((await containerlab(["deploy", "-t", file, "--name", "other"])).code).toBe(0);
    const destroyed = await containerlab(["destroy", "-t", file, "--name", "other", "--cleanup"]);
    expect(destroyed.code).toBe(0);
    expect(destroyed.stderr).not.toContain("Removed container");
    expect(JSON.parse((await containerlab(["inspect", "--all", "-f", "json"])).stdout).other).toHaveLength(6);
    expect(existsSync(join(sandbox.labsRoot, "clab-other"))).toBe(false);
    // By name alone the topology comes from the labels, and its own `name:` wins again (options_clab.go:263-274).
    expect((await containerlab(["destroy", "--name", "other", "--cleanup"])).code).toBe(0);
    expect(Object.keys(JSON.parse((await containerlab(["inspect", "--all", "-f", "json"])).stdout))).toEqual(["other"]);
    // Once the file is gone, the name from the lab dir label is used (destroy.go:135-141).
    rmSync(join(sandbox.labsRoot, file));
    expect((await containerlab(["destroy", "--name", "other", "--cleanup"])).stderr).toContain(
      "INFO Removing container: clab-other-router1",
    );
    expect(JSON.parse((await containerlab(["inspect", "--all", "-f", "json"])).stdout)).toEqual({});
  });

  // CL:cmd/options.go:282-284 → core/options_clab.go:252-254; CL:cmd/inspect.go:172-177.
  test("--name alone for a lab without containers exits 1 (inspect and destroy); inspect -t of an undeployed lab fails", async () => {
    for (const command of [["inspect", "--name", "gone", "-f", "json"], ["destroy", "--name", "gone", "--cleanup"]]) {
      const result = await containerlab(command);
      expect([result.code, result.stdout, result.stderr]).toEqual([1, "", "lab 'gone' not found - no running containers\n"]);
    }
    const file = withTopology("topo.01-linux-nodes.clab.yml");
    const undeployed = await containerlab(["inspect", "-t", file, "-f", "json"]);
    expect([undeployed.code, undeployed.stderr]).toEqual([
      1,
      expect.stringMatching(
        /^failed to list containers based on topology: could not get container for node clab-2-linux-nodes-l\d: Node: clab-2-linux-nodes-l\d\. containers not found\n$/,
      ),
    ]);
  });

  test("a container dockerd cannot remove is logged and destroy still exits 0 (CL:core/destroy.go:392)", async () => {
    const file = withTopology("topo.01-linux-nodes.clab.yml");
    expect((await containerlab(["deploy", "-t", file])).code).toBe(0);
    const names = async () =>
      (JSON.parse((await containerlab(["inspect", "--all", "-f", "json"])).stdout)["2-linux-nodes"] as { name: string }[]).map((record) =>
        record.name
      );
    const deployed = await names();
    const stuck = await runCommand(["containerlab", "destroy", "-t", file, "--cleanup"], {
      cwd: sandbox.labsRoot,
      timeoutMs: 20_000,
      env: { ...sandbox.environment, FAKE_DOCKER_REMOVE: "fail" },
    });
    expect(stuck.code).toBe(0);
    expect(stuck.stderr).toMatch(
      / ERRO could not remove container "clab-2-linux-nodes-l1": Error response from daemon: cannot remove container/,
    );
    expect(await names()).toEqual(deployed);
  });

  test("there is no -n shorthand for --name", async () => {
    const result = await containerlab(["inspect", "-n", "frr01"]);
    expect([result.code, result.stderr]).toEqual([1, "unknown shorthand flag: 'n' in -n\n"]);
  });

  const links = (endpoints: string) =>
    `name: x\ntopology:\n  nodes:\n    n1: { kind: linux, image: alpine:3 }\n  links:\n    - endpoints: ${endpoints}\n`;
  test.each([
    ["exec without --cmd", ["exec", "-t", "x.clab.yml"], "x.clab.yml", links('["n1:eth1", "n1:eth2"]')],
    [
      "exec with an unknown format",
      ["exec", "-t", "x.clab.yml", "--cmd", "true", "-f", "xml"],
      "x.clab.yml",
      links('["n1:eth1", "n1:eth2"]'),
    ],
    ["no topology file", ["deploy"], null, ""],
    ["two topology files", ["deploy"], "a.clab.yml", ""],
    ["inspect without a lab", ["inspect"], null, ""],
    ["inspect as yaml", ["inspect", "--all", "-f", "yaml"], null, ""],
    [
      "cleanup with a node filter",
      ["destroy", "--cleanup", "--node-filter", "n1", "-t", "x.clab.yml"],
      "x.clab.yml",
      links('["n1:eth1", "n1:eth2"]'),
    ],
    ["--all with --name", ["destroy", "--all", "--name", "x"], null, ""],
    ["dry-run with reconfigure", ["deploy", "--dry-run", "-c", "-t", "x.clab.yml"], "x.clab.yml", links('["n1:eth1", "n1:eth2"]')],
    ["three endpoints", ["deploy", "-t", "x.clab.yml"], "x.clab.yml", links('["n1:eth1", "n1:eth2", "n1:eth3"]')],
    ["an unknown node in a link", ["deploy", "-t", "x.clab.yml"], "x.clab.yml", links('["n1:eth1", "n9:eth1"]')],
    ["eth0 as a data interface", ["deploy", "-t", "x.clab.yml"], "x.clab.yml", links('["n1:eth0", "n1:eth1"]')],
  ])("%s is refused with containerlab's documented message", async (_case, args, file, text) => {
    if (file) withTopology(file, text);
    if (file === "a.clab.yml") withTopology("b.clab.yml", text);
    const result = await containerlab(args);
    expect(result.code).toBe(1);
    // The error is the last stderr line (deploy logs its start first).
    expect(DOCUMENTED_ERRORS).toContain(result.stderr.trim().split("\n").at(-1)!);
  });
});
