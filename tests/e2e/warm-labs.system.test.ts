import { afterEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { randomBytes } from "node:crypto";
import { runCommand } from "../../src/hosts/command-runner.ts";
import { isRoot } from "../support/host-processes.ts";
import { http } from "../support/http.ts";
import { eventually } from "../support/wait-for.ts";
import { workKindsOf } from "../support/lab-work-kinds.ts";
import { LabCluster } from "../support/lab-cluster.ts";
import { isRunning, namespaceNames, NEEDS_ROOT } from "../support/native-labs.ts";

setDefaultTimeout(120_000);

const HOST = "warm-host";
const TTL_S = 3;

let cluster: LabCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

/** Two nodes; node a routes and has its address on eth1 from its exec commands. */
function topology(name: string): string {
  return `name: ${name}
topology:
  nodes:
    a: {kind: linux, exec: ["ip addr add 10.0.9.1/24 dev eth1"]}
    b: {kind: linux, exec: ["ip addr add 10.0.9.2/24 dev eth1"]}
  links:
    - endpoints: ["a:eth1", "b:eth1"]
`;
}

/**
 * What a job of session 1 does inside node a: an address, a route, a sysctl, and a process without
 * the job's environment, moved out of the job's cgroup (into the agent's) so the job's end does not
 * kill it and the health gate cannot tie it to the session: only the reset can find it.
 */
function dirt(namespace: string): string {
  return [
    `ip netns exec ${namespace} sh -c 'ip addr add 198.51.100.7/32 dev lo && ip route add 203.0.113.0/24 via 10.0.9.2 && sysctl -qw net.ipv4.ip_forward=0'`,
    `cg=$(sed -n 's/^0:://p' /proc/self/cgroup)`,
    `mnt=$(awk '/ - cgroup2 /{print $5; exit}' /proc/self/mountinfo)`,
    `ip netns exec ${namespace} setsid env -i /bin/sleep 3600 </dev/null >/dev/null 2>&1 &`,
    `echo $! > "$mnt\${cg%/*}/cgroup.procs"`,
    "echo $!",
  ].join("\n");
}

async function labUp(sessionId: string, text: string, keepWarm: boolean) {
  const response = await http("POST", `${cluster!.url}/v1/labs`, {
    session_id: sessionId,
    topology: text,
    topology_file: "warm.clab.yml",
    keep_warm: keepWarm,
  });
  const lab = await eventually(
    async () => {
      const view = (await http("GET", `${cluster!.url}/v1/labs/${response.json.id}`)).json;
      if (view.state === "failed") throw new Error(`lab failed: ${view.error}`);
      return view.state === "running" ? view : null;
    },
    `lab ${response.json.id} to run`,
    60_000,
  );
  return { status: response.status, lab };
}

async function inNamespace(namespace: string, argv: string[]): Promise<string> {
  return (await runCommand(["ip", "netns", "exec", namespace, ...argv], { timeoutMs: 10_000 })).stdout;
}

describe.skipIf(!isRoot)(`warm labs through broker and agent processes${isRoot ? "" : ` (${NEEDS_ROOT})`}`, () => {
  test("session 2 gets session 1's lab without a deploy and without what session 1's job left in it; unclaimed, it is destroyed after the TTL", async () => {
    cluster = new LabCluster();
    await cluster.startBroker(["--warm-lab-ttl", String(TTL_S)]);
    await cluster.startAgent({ name: HOST });
    const text = topology(`warm-${randomBytes(3).toString("hex")}`);

    const first = await cluster.session(HOST);
    const { lab } = await labUp(first.id, text, true);
    const nodeA = lab.nodes.find((node: { name: string }) => node.name === "a").raw.netns as string;
    const job = await http("POST", `${cluster.url}/v1/sessions/${first.id}/jobs`, {
      shell: dirt(nodeA),
    });
    expect(job.json).toMatchObject({ state: "finished", passed: true });
    const stray = Number(job.json.stdout.trim());
    expect(isRunning(stray)).toBe(true);
    expect(await inNamespace(nodeA, ["ip", "-4", "address", "show", "dev", "lo"])).toContain("198.51.100.7/32");
    expect((await http("DELETE", `${cluster.url}/v1/sessions/${first.id}`)).status).toBe(200);

    const second = await cluster.session(HOST);
    const again = await labUp(second.id, text, true);
    expect(again.status).toBe(200);
    expect(again.lab).toMatchObject({ id: lab.id, instance_name: lab.instance_name, holders: [second.id], warm_until: null });
    expect(await workKindsOf(cluster!.url, lab.id)).toEqual(["deploy-lab", "reset-lab"]);

    expect(isRunning(stray)).toBe(false);
    expect(await inNamespace(nodeA, ["ip", "-4", "address", "show", "dev", "lo"])).not.toContain("198.51.100.7");
    expect(await inNamespace(nodeA, ["ip", "route"])).not.toContain("203.0.113.0/24");
    expect((await inNamespace(nodeA, ["sysctl", "-n", "net.ipv4.ip_forward"])).trim()).toBe("1");
    expect(await inNamespace(nodeA, ["ip", "-4", "address", "show", "dev", "eth1"])).toContain("10.0.9.1/24");
    expect(await inNamespace(nodeA, ["ping", "-c1", "-W2", "10.0.9.2"])).toContain("1 received");

    // Ended again with keep_warm: warm again, and destroyed by the agent once nobody took it for the TTL.
    expect((await http("DELETE", `${cluster.url}/v1/sessions/${second.id}`)).status).toBe(200);
    const warm = await eventually(async () => {
      const view = (await http("GET", `${cluster!.url}/v1/labs/${lab.id}`)).json;
      return view.state === "running" && view.warm_until ? view : null;
    }, "the lab to be warm again");
    expect(warm.holders).toEqual([]);
    await eventually(
      async () => (await http("GET", `${cluster!.url}/v1/labs/${lab.id}`)).json.state === "inactive",
      "the warm lab to be destroyed after its TTL",
      30_000,
    );
    expect(await workKindsOf(cluster!.url, lab.id)).toEqual(["deploy-lab", "reset-lab", "reset-lab", "destroy-lab"]);
    expect((await namespaceNames()).filter((name) => name === nodeA)).toEqual([]);
  });
});
