import { afterEach, beforeEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { runCommand, type RunResult } from "../../../src/hosts/command-runner.ts";
import { FIXTURES } from "../../support/reference-fixtures.ts";
import { keysMissingFrom, keyTypes, typeMismatches } from "./json-shape.ts";
import { ToolSandbox } from "./tool-sandbox.ts";

setDefaultTimeout(30_000);

type Json = Record<string, unknown>;
const fixture = (path: string) => readFileSync(join(FIXTURES, "netlab", path), "utf8");
const fixtureJson = (path: string) => JSON.parse(fixture(path)) as Json;

let sandbox: ToolSandbox;
/** Named like the lab of netlab's own test (`input`), so derived names match the fixtures. */
let labDir: string;
beforeEach(() => {
  sandbox = new ToolSandbox();
  labDir = join(sandbox.labsRoot, "input");
  mkdirSync(labDir);
  copyFileSync(join(FIXTURES, "netlab", "topology.bridge-module-attr.input.yml"), join(labDir, "topology.yml"));
});
afterEach(() => sandbox.remove());

function netlab(args: string[], cwd = labDir): Promise<RunResult> {
  return runCommand(["netlab", ...args], { cwd, timeoutMs: 20_000, env: sandbox.environment });
}

async function jsonOf(args: string[], cwd = labDir): Promise<Json> {
  return JSON.parse((await netlab(args, cwd)).stdout) as Json;
}

describe("fake netlab against the netlab fixtures", () => {
  test("status JSON (one lab, all labs, the status file) has the documented keys and types", async () => {
    expect((await netlab(["up"])).code).toBe(0);
    const instance = await jsonOf(["status", "--format", "json"]);
    const reference = fixtureJson("status.instance.json.synth.json");
    expect(keyTypes(instance)).toEqual(keyTypes(reference));
    const referenceNode = Object.values(reference.nodes as Json)[0];
    for (const node of Object.values(instance.nodes as Json)) expect(keyTypes(node)).toEqual(keyTypes(referenceNode));
    expect(instance.nodes).toMatchObject({
      r1: {
        device: "frr",
        mgmt: "192.168.121.101",
        connection: "docker",
        provider: "clab",
        provider_name: "clab-input-r1",
        status: expect.stringMatching(/^Up /),
      },
    });

    const all = await jsonOf(["status", "--all", "--format", "json"]);
    expect(Object.keys(all)).toEqual(["default"]);
    expect(keyTypes(all.default)).toEqual(keyTypes(fixtureJson("status.all.json.synth.json").default));
    const statusFile = parse(readFileSync(join(sandbox.home, ".netlab", "status.yaml"), "utf8")) as Json;
    const referenceFile = parse(fixture("status-file.synth.yaml")) as Json;
    expect(keyTypes(statusFile.default)).toEqual(keyTypes(referenceFile.default));
    expect((statusFile.default as Json).dir).toBe(labDir);
  });

  test("status errors are JSON with exit 0; no labs at all is a JSON warning with exit 1", async () => {
    const none = await netlab(["status", "--format", "json"]);
    expect([none.code, JSON.parse(none.stdout)]).toEqual([1, fixtureJson("status.no-labs.json.synth.json")]);
    expect((await netlab(["up"])).code).toBe(0);
    const elsewhere = await netlab(["status", "--format", "json"], sandbox.labsRoot);
    expect([elsewhere.code, JSON.parse(elsewhere.stdout)]).toEqual([0, fixtureJson("status.error.json.synth.json")]);
    const asText = await netlab(["status"], sandbox.labsRoot);
    expect([asText.code, asText.stderr.split("\n")[0]]).toEqual([1, "FatalError: There's no running lab in the current directory."]);
    const cleanup = await netlab(["status", "--cleanup"]);
    expect([cleanup.code, cleanup.stderr.trim().split("\n").at(-1)]).toEqual([1, "EOFError: EOF when reading a line"]);
  });

  // NL:netsim/providers/clab.py:388-405 (docker ps: running containers only), NL:netsim/cli/status.py:179-180.
  test("status crashes with a traceback (exit 1) when a node's container is not running", async () => {
    const up = await runCommand(["netlab", "up"], {
      cwd: labDir,
      timeoutMs: 20_000,
      env: { ...sandbox.environment, FAKE_DOCKER_EXITS: "quay.io/frrouting/frr:10.5.0" },
    });
    expect(up.code).toBe(0);
    const status = await netlab(["status", "--format", "json"]);
    expect([status.code, status.stdout]).toEqual([1, ""]);
    expect(status.stderr.trim().split("\n").at(-1)).toBe("AttributeError: 'NoneType' object has no attribute 'get'");
  });

  // NL:netsim/cli/up.py:352-353, NL:netsim/cli/__init__.py:390-399: the probes log before any status is set.
  test("a failed provider probe leaves a status record without status or name", async () => {
    // containerlab is not installed: netlab is run by its path, with only its interpreter on PATH.
    const failed = await runCommand([join(import.meta.dir, "../../fakes/netlab"), "up"], {
      cwd: labDir,
      timeoutMs: 20_000,
      env: { ...sandbox.environment, PATH: `${sandbox.interpreterDir}:/usr/bin:/bin` },
    });
    expect([failed.code, failed.stderr]).toEqual([1, "Fatal error in netlab: Containerlab is not installed\n"]);
    const all = await jsonOf(["status", "--all", "--format", "json"]);
    expect(all.default).toEqual({
      dir: labDir,
      providers: [],
      log_line: "FAIL: containerlab version",
      log: [expect.stringMatching(/: FAIL: containerlab version$/)],
      timestamp: expect.any(String),
    });
    const text = await netlab(["status", "--all"]);
    expect(text.stdout).toContain("Unknown");
  });

  test("inspect nodes derives the fixture's names, ids, addresses and images, and invents no keys", async () => {
    expect((await netlab(["up"])).code).toBe(0);
    const nodes = await jsonOf(["inspect", "-q", "--format", "json", "nodes"]);
    const reference = fixtureJson("inspect.nodes.json.synth.json");
    expect(Object.keys(nodes)).toEqual(Object.keys(reference));
    for (const [name, node] of Object.entries(nodes) as [string, Json][]) {
      const expected = reference[name] as Json;
      expect([keysMissingFrom(node, expected), typeMismatches(node, expected)]).toEqual([[], []]);
      for (const key of ["name", "device", "id", "box", "hostname", "mgmt", "role", "mtu"]) {
        expect([key, node[key]]).toEqual([key, expected[key]]);
      }
      if (node.loopback) expect(keysMissingFrom(node.loopback, expected.loopback)).toEqual([]);
    }
    const r1Interface = ((nodes.r1 as Json).interfaces as Json[])[0];
    expect(keysMissingFrom(r1Interface, ((reference.r1 as Json).interfaces as Json[])[0])).toEqual([]);
  });

  test("inspect --node gives one node with its Ansible group vars; several nodes are a table even as JSON", async () => {
    expect((await netlab(["up"])).code).toBe(0);
    const r1 = await jsonOf(["inspect", "-q", "--node", "r1", "--format", "json"]);
    const reference = fixtureJson("inspect.node-r1.json.synth.json");
    expect(keysMissingFrom(r1, reference)).toEqual([]);
    for (
      const key of [
        "_netlab_version",
        "ansible_connection",
        "ansible_host",
        "ansible_network_os",
        "ansible_python_interpreter",
        "ansible_user",
        "netlab_device_type",
        "hostname",
        "mgmt",
      ]
    ) {
      expect([key, r1[key]]).toEqual([key, reference[key]]);
    }
    const table = (await netlab(["inspect", "-q", "--node", "r1,r2", "--format", "json", "loopback"])).stdout.split("\n");
    const documented = fixture("inspect.node-r1r2-loopback.docs.txt").split("\n");
    expect(table[0]!.replace(/━+/g, "━")).toBe(documented[1]!.replace(/━+/g, "━"));
    expect(table[1]!.split("┃").map((cell) => cell.trim())).toEqual(documented[2]!.split("┃").map((cell) => cell.trim()));
  });

  test("the rendered clab.yml has the structure of netlab's clab.j2 output", async () => {
    expect((await netlab(["up"])).code).toBe(0);
    const rendered = parse(readFileSync(join(labDir, "clab.yml"), "utf8")) as Json;
    const reference = parse(fixture("clab.yml.rendered-from-bridge-module-attr.yml")) as Json;
    expect([Object.keys(rendered), rendered.name, rendered.prefix, rendered.mgmt]).toEqual([
      Object.keys(reference),
      reference.name,
      reference.prefix,
      reference.mgmt,
    ]);
    const nodes = (rendered.topology as Json).nodes as Record<string, Json>;
    const referenceNodes = (reference.topology as Json).nodes as Record<string, Json>;
    for (const name of ["r1", "r2", "br"]) {
      expect(keysMissingFrom(nodes[name], referenceNodes[name])).toEqual([]);
      for (const key of ["mgmt-ipv4", "kind", "restart-policy", "image", "runtime"]) {
        expect([name, key, nodes[name]![key]]).toEqual([name, key, referenceNodes[name]![key]]);
      }
    }
  });

  test("the command line is refused as netlab refuses it", async () => {
    const unknown = await netlab(["frobnicate"]);
    expect([unknown.code, unknown.stderr.split("\n")[0]]).toEqual([1, "FatalError in netlab: Unknown command frobnicate"]);
    expect((await netlab(["version"])).stdout.split("\n")[0]).toBe("netlab version 26.03");
    expect((await netlab(["up", "--no-such-flag"])).code).toBe(2);

    for (const id of ["0", "201"]) {
      const result = await netlab(["up", "--plugin", "multilab", "-s", `defaults.multilab.id=${id}`]);
      expect([result.code, result.stderr.trim().split("\n")]).toEqual([
        1,
        [
          "Errors encountered while processing topology.yml",
          "IncorrectValue in multilab: attribute defaults.multilab.id must be an integer between 1 and 200",
          "Fatal error in netlab: Cannot proceed beyond this point due to errors, exiting",
        ],
      ]);
    }
    writeFileSync(join(labDir, "empty.yml"), "provider: clab\ndefaults.device: frr\n");
    const noNodes = await netlab(["up", "empty.yml"]);
    expect([noNodes.code, noNodes.stderr.split("\n")[1]]).toEqual([
      1,
      "MissingValue in topology: Required topology element 'nodes' is missing or empty",
    ]);

    expect((await netlab(["up"])).code).toBe(0);
    const again = await netlab(["up"]);
    expect([again.code, again.stderr]).toEqual([1, "Fatal error in netlab: Cannot start another lab in the same directory\n"]);
    expect((await netlab(["status", "--cleanup", "--format", "json"])).code).toBe(1);
  });
});
