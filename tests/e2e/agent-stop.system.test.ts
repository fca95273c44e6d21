import { afterEach, expect, test } from "bun:test";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { LabRegistry } from "../../src/hosts/native/lab-registry.ts";
import { labInterfacePrefix } from "../../src/hosts/native/lab-naming.ts";
import { http } from "../support/http.ts";
import { LabCluster } from "../support/lab-cluster.ts";
import { hostLinkNames, namespaceNames } from "../support/native-labs.ts";
import { uniquelyNamed } from "../support/unique-topology.ts";
import { eventually } from "../support/wait-for.ts";

const isRoot = process.getuid?.() === 0;
let cluster: LabCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

/** Six nodes in a chain: a destroy that takes long enough for the stop signal to arrive while it runs. */
const CHAIN = uniquelyNamed(
  [
    "name: stopping",
    "topology:",
    "  nodes:",
    ...["r1", "r2", "r3", "r4", "r5", "r6"].map((node) => `    ${node}: { kind: linux }`),
    "  links:",
    ...["r1:r2", "r2:r3", "r3:r4", "r4:r5", "r5:r6"].map((pair) => {
      const [a, b] = pair.split(":");
      return `    - endpoints: ["${a}:eth-${b}", "${b}:eth-${a}"]`;
    }),
  ].join("\n") + "\n",
);

test.skipIf(!isRoot)(
  "an agent stopped (SIGTERM) while it destroys a lab finishes the destroy and reports it before it exits (else skipped: needs root)",
  async () => {
    cluster = new LabCluster();
    await cluster.startBroker();
    const name = `stop-${randomBytes(3).toString("hex")}`;
    const agent = await cluster.startAgent({ name });
    const session = await cluster.session(name);
    const created = await http("POST", `${cluster.url}/v1/labs`, { session_id: session.id, topology: CHAIN, runtime: "native" });
    expect(created.status).toBe(202);
    const lab = await eventually(async () => {
      const current = (await http("GET", `${cluster!.url}/v1/labs/${created.json.id}`)).json;
      return current.state === "running" ? current : null;
    }, "the lab to run");
    const instance: string = lab.instance_name;
    const tag = new LabRegistry(join(cluster.agents.get(name)!.workDir, "native-labs")).read(instance)!.tag;
    const leftovers = async () => [
      ...(await namespaceNames()).filter((namespace) => namespace.includes(instance)),
      ...(await hostLinkNames()).filter((link) => link.startsWith(labInterfacePrefix(tag))),
    ];
    expect((await leftovers()).length).toBeGreaterThan(6);

    // Ending the session destroys its lab; the agent is told to stop as soon as it has started that.
    expect((await http("DELETE", `${cluster.url}/v1/sessions/${session.id}`)).status).toBe(200);
    await agent.waitForLog((line) => line.msg === "work started" && line.kind === "destroy-lab");
    expect(await agent.kill("SIGTERM")).toBe(0);

    expect(await leftovers()).toEqual([]);
    const after = (await http("GET", `${cluster.url}/v1/labs/${created.json.id}`)).json;
    expect(after.state).toBe("inactive");
    expect(agent.logs.some((line) => line.msg === "work finished" && line.kind === "destroy-lab" && line.ok === true)).toBe(true);
  },
  60_000,
);
