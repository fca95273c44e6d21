import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { TEST_ADMIN_TOKEN } from "../support/test-broker.ts";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { OutputChunk } from "../../src/client/api-types.ts";
import { LabBroker } from "../../src/client/broker.ts";
import { LabFailedError } from "../../src/client/errors.ts";
import type { Session } from "../../src/client/session.ts";
import { runCommand } from "../../src/hosts/command-runner.ts";
import { LabCluster } from "../support/lab-cluster.ts";
import { isRoot, NEEDS_ROOT } from "../support/native-labs.ts";
import { uniquelyNamed } from "../support/unique-topology.ts";

const FIXTURE = readFileSync(join(import.meta.dir, "../fixtures/line3.clab.yml"), "utf8");
const LINE3 = uniquelyNamed(FIXTURE);
const namespaces = async () => (await runCommand(["ip", "netns", "list"], { timeoutMs: 10_000 })).stdout;
const caught = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

const cluster = new LabCluster();
let broker: LabBroker;
let session: Session;

describe.skipIf(!isRoot)(`native labs through the SDK${isRoot ? "" : ` (${NEEDS_ROOT})`}`, () => {
  beforeAll(async () => {
    await cluster.startBroker();
    await cluster.startAgent({ name: "lab-host" });
    broker = new LabBroker({ url: cluster.url, token: TEST_ADMIN_TOKEN });
    session = await broker.session({ client: { name: "labs" } });
  });
  afterAll(async () => {
    await session?.end();
    await cluster.stop();
  });

  test("a lab deploys with its extra files and log, runs jobs and device changes in its nodes, and is gone after destroy", async () => {
    const log: OutputChunk[] = [];
    const lab = await session.lab(LINE3, {
      fileName: "line3.clab.yml",
      extraFiles: { "configs/a/frr.conf": "hostname a\n" },
      onLog: (chunk) => log.push(chunk),
    });
    expect(lab.state).toBe("running");
    expect(lab.view.files.map((file) => file.path).sort()).toEqual(["configs/a/frr.conf", "line3.clab.yml"]);
    expect(lab.nodes.map((node) => [node.name, node.kind, node.state])).toEqual([
      ["a", "linux", "running"],
      ["b", "linux", "running"],
      ["c", "linux", "running"],
    ]);
    expect(lab.devices.map((device) => device.name)).toEqual(["a", "b", "c"]);
    expect(lab.node("a").info?.mgmtIpv4).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(log.some((chunk) => chunk.node === "b" && chunk.text.includes("ip addr add 10.0.2.2/24 dev eth2"))).toBe(true);

    const ping = await lab.node("a").run(["ping", "-c", "1", "-W", "2", "10.0.2.3"]);
    expect(ping.passed).toBe(true);

    const node = lab.node("c");
    expect(await node.createDevice({ kind: "bridge", name: "br-test" })).toEqual({ changes: 1 });
    expect(await node.device("eth1").set({ mtu: 1400, addAddresses: ["192.0.2.1/24"] })).toEqual({ changes: 2 });
    await node.sysctl("net.ipv4.ip_forward", 1);
    const eth1 = (await node.devices()).find((device) => device.name === "eth1")!;
    expect(eth1.mtu).toBe(1400);
    expect(eth1.addresses.map((address) => address.local)).toContain("192.0.2.1");
    expect(await node.sysctl("net.ipv4.ip_forward")).toBe("1");
    expect((await node.devices()).map((device) => device.name)).toContain("br-test");
    expect(await node.removeDevice("br-test")).toEqual({ changes: 1 });

    expect((await lab.release()).ref_count).toBe(0);
    expect((await session.labs()).map((held) => held.id)).toEqual([lab.id]);
    const destroyed = await lab.destroy();
    expect(destroyed.state).toBe("inactive");
    expect(await namespaces()).not.toContain(lab.view.instance_name);
    expect(await session.labs()).toEqual([]);
  }, 60_000);

  test(
    "the same topology again with reuse attaches to the running lab; a failing deploy is a LabFailedError with the lab's error",
    async () => {
      const first = await session.lab(LINE3, { fileName: "line3.clab.yml" });
      await first.release();
      const again = await session.lab(LINE3, { fileName: "line3.clab.yml" });
      expect(again.id).toBe(first.id);
      await again.destroy();

      // Valid YAML the host refuses at deploy time: the management bridge must not exist yet.
      const broken = uniquelyNamed(FIXTURE.replace("name: line3", "name: broken3\nmgmt: { bridge: lo }"));
      const error = await caught(session.lab(broken, { fileName: "broken.clab.yml" }));
      expect(error).toBeInstanceOf(LabFailedError);
      expect((error as LabFailedError).lab.state).toBe("failed");
      expect((error as LabFailedError).message).toContain((error as LabFailedError).lab.error!);
      expect(await namespaces()).not.toContain((error as LabFailedError).lab.instance_name);
    },
    60_000,
  );
});
