import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { cpSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { LabSpec } from "../../../src/hosts/lab-runtime.ts";
import { LabRegistry } from "../../../src/hosts/native/lab-registry.ts";
import { FRR_INSTALLED, frrProcessesOf, inNode, NEEDS_FRR, waitForOspfFull, waitForRoute } from "../../support/frr.ts";
import { isRoot, namespaceNames, NativeLabFixture } from "../../support/native-labs.ts";
import { uniquelyNamed } from "../../support/unique-topology.ts";

/** The FRR example deployed natively: real FRR daemons in real namespaces, OSPF between them. */

const EXAMPLE = join(import.meta.dir, "../../../examples/topologies/containerlab-frr");

describe.skipIf(!isRoot || !FRR_INSTALLED)(`FRR nodes on the native runtime (else ${NEEDS_FRR})`, () => {
  let fixture: NativeLabFixture;
  beforeEach(() => {
    fixture = new NativeLabFixture();
  });
  afterEach(async () => {
    await fixture.cleanup();
  });

  function exampleSpec(topologyText = readFileSync(join(EXAMPLE, "frr-ospf.clab.yml"), "utf8")): LabSpec {
    cpSync(join(EXAMPLE, "configs"), join(fixture.workDir, "configs"), { recursive: true });
    return fixture.spec("frr", uniquelyNamed(topologyText));
  }

  test("the containerlab FRR example runs OSPF to Full, r1 reaches r2's loopback over OSPF, and destroy leaves nothing", async () => {
    const spec = exampleSpec();
    const nodes = await fixture.runtime.deploy(spec, fixture.sink, new AbortController().signal);
    fixture.tagOf(spec);
    expect(nodes.map((node) => node.name)).toEqual(["r1", "r2"]);
    const prefixes = { r1: fixture.runtime.nodeExecPrefix(spec, "r1"), r2: fixture.runtime.nodeExecPrefix(spec, "r2") };
    await waitForOspfFull(prefixes, { r1: 1, r2: 1 }, 30_000);

    expect(await waitForRoute(prefixes.r1, "10.255.0.2/32", "10.0.12.2", 30_000)).toMatchObject({
      protocol: "ospf",
      nexthops: [{ ip: "10.0.12.2", interfaceName: "eth1" }],
    });
    await waitForRoute(prefixes.r2, "10.255.0.1/32", "10.0.12.1", 30_000); // the way back for the ping
    expect(await inNode(prefixes.r1, ["ping", "-c1", "-W2", "-I", "10.255.0.1", "10.255.0.2"])).toContain("1 received");
    expect(await inNode(prefixes.r2, ["sh", "-c", "vtysh -c 'show running-config' | grep router-id"])).toContain("10.255.0.2");

    const record = new LabRegistry(fixture.stateDir).read(spec.instanceName)!;
    const frr = record.nodes.map((node) => node.frr!);
    const pathspaces = frr.map((instance) => instance.pathspace);
    expect(frrProcessesOf(pathspaces).length).toBeGreaterThanOrEqual(8);

    // Reviving sees the lab whole while its FRR runs, and broken once r2's FRR is gone.
    const ours = async () => (await fixture.runtime.listRunning()).find((instance) => instance.instanceName === spec.instanceName);
    expect((await ours())?.problem).toBeUndefined();
    for (const pid of frrProcessesOf([frr[1]!.pathspace])) process.kill(pid, "SIGKILL");
    expect((await ours())?.problem).toStartWith("FRR of node r2 is not running");

    await fixture.runtime.destroy(spec, fixture.sink);
    expect(frrProcessesOf(pathspaces)).toEqual([]);
    expect((await namespaceNames()).filter((name) => record.namespaces.includes(name))).toEqual([]);
    expect(frr.flatMap((instance) => [instance.configDir, instance.runDir, instance.binDir]).filter((path) => existsSync(path))).toEqual(
      [],
    );
  }, 60_000);

  test("daemons that do not start fail the deploy with FRR's words, and nothing of the lab is left", async () => {
    const spec = exampleSpec();
    writeFileSync(join(fixture.workDir, "configs/daemons"), 'zebra=yes\nospfd=yes\nospfd_options="--no-such-option"\n');
    const failure = await fixture.runtime.deploy(spec, fixture.sink, new AbortController().signal).catch((error: Error) => error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toContain("ospfd");
    expect((failure as Error).message).toContain("no-such-option");
    expect(await fixture.leftovers()).toEqual([]);
  }, 60_000);

  test("a configuration FRR cannot parse fails the deploy naming the node and the line", async () => {
    const spec = exampleSpec();
    writeFileSync(join(fixture.workDir, "configs/r2/frr.conf"), "router ospf\n ospf router-idd 1.1.1.1\n");
    const failure = (await fixture.runtime.deploy(spec, fixture.sink, new AbortController().signal).catch((error: Error) =>
      error
    )) as Error;
    expect(failure.message).toContain("node r2: FRR refuses its frr.conf");
    expect(failure.message).toContain("router-idd");
    expect(await fixture.leftovers()).toEqual([]);
  }, 60_000);
});
