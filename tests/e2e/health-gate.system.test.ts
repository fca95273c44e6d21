import { afterEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { randomBytes, randomUUID } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { hostsTable, unhealthyReports } from "../../src/cli/commands/hosts.ts";
import { isRoot, processesWithEnvironment } from "../support/host-processes.ts";
import { http } from "../support/http.ts";
import { eventually } from "../support/wait-for.ts";
import { LabCluster } from "../support/lab-cluster.ts";
import { NEEDS_ROOT } from "../support/native-labs.ts";
import { deleteTestNamespace } from "../support/test-namespace.ts";

setDefaultTimeout(90_000);

/** A harmless network sysctl no other test touches: the test sets it one up and puts it back whatever happens. */
const SYSCTL = "net.ipv4.tcp_keepalive_probes";
const SYSCTL_FILE = `/proc/sys/${SYSCTL.replaceAll(".", "/")}`;

let cluster: LabCluster | undefined;
let mark = "";
let namespace = "";
let sysctlBefore: string | null = null;
afterEach(async () => {
  await cluster?.stop();
  for (const { pid } of processesWithEnvironment("LABBROKER_TEST_JOB", mark)) process.kill(pid, "SIGKILL");
  if (namespace) await deleteTestNamespace(namespace);
  if (sysctlBefore !== null) writeFileSync(SYSCTL_FILE, sysctlBefore);
  cluster = undefined;
  sysctlBefore = null;
});

/**
 * A job that leaves three things behind: a namespace, a sysctl changed with `sysctl -w` (not the
 * device API, which would record its undo), and a process moved out of the job's cgroup (into the
 * agent's), so the job's own end does not kill it.
 */
function leaveLeftovers(value: number): string {
  return [
    `ip netns add ${namespace}`,
    `sysctl -qw ${SYSCTL}=${value}`,
    `cg=$(sed -n 's/^0:://p' /proc/self/cgroup)`,
    `mnt=$(awk '/ - cgroup2 /{print $5; exit}' /proc/self/mountinfo)`,
    "sleep 3600 </dev/null >/dev/null 2>&1 &",
    `echo $! > "$mnt\${cg%/*}/cgroup.procs"`,
  ].join("\n");
}

describe.skipIf(!isRoot)(`the health gate through broker and agent processes${isRoot ? "" : ` (${NEEDS_ROOT})`}`, () => {
  test("a session leaving a namespace, a changed sysctl and a background process: the process is killed, the host turns unhealthy listing all three, and the next session waits until an admin clears it", async () => {
    mark = randomUUID();
    namespace = `lbhg-${randomBytes(4).toString("hex")}`;
    cluster = new LabCluster();
    await cluster.startBroker();
    await cluster.startAgent({ name: "gated", args: ["--health-gate", "full"] });
    sysctlBefore = readFileSync(SYSCTL_FILE, "utf8").trim();

    const first = await cluster.session("gated");
    const job = await http("POST", `${cluster.url}/v1/sessions/${first.id}/jobs`, {
      role: "m1",
      shell: leaveLeftovers(Number(sysctlBefore) + 1),
      env: { LABBROKER_TEST_JOB: mark },
    });
    expect(job.json).toMatchObject({ state: "finished", passed: true });
    const [leftover] = processesWithEnvironment("LABBROKER_TEST_JOB", mark);
    expect(leftover?.argv).toEqual(["sleep", "3600"]);

    expect((await http("DELETE", `${cluster.url}/v1/sessions/${first.id}`)).status).toBe(200);
    const second = (await http("POST", `${cluster.url}/v1/sessions`, { requirements: [{ host: "gated" }] })).json;
    const host = await eventually(
      async () => {
        const current = (await http("GET", `${cluster!.url}/v1/hosts/gated`)).json;
        return current.health.state === "checking" ? null : current;
      },
      "the host's check after the session",
      30_000,
    );

    expect(host.state).toBe("unhealthy");
    expect(host.health.report).toMatchObject({ clean: false, gate: "full", session_id: first.id, reason: "session-ended" });
    expect(host.health.report.differences).toEqual(
      expect.arrayContaining([
        {
          kind: "namespace",
          name: namespace,
          detail: expect.stringContaining("network namespace created since the host was idle"),
          cleaned: false,
        },
        { kind: "sysctl", name: SYSCTL, detail: expect.stringContaining(`${sysctlBefore} → ${Number(sysctlBefore) + 1}`), cleaned: false },
        { kind: "process", name: `${leftover!.pid} sleep 3600`, detail: expect.stringContaining("killed"), cleaned: true },
      ]),
    );
    expect(processesWithEnvironment("LABBROKER_TEST_JOB", mark)).toEqual([]);
    const waiting = (await http("GET", `${cluster.url}/v1/sessions/${second.id}`)).json;
    expect(waiting).toMatchObject({ state: "waiting", wait_reason: "matching hosts are unhealthy" });
    expect(cluster.broker.logs.find((line) => line.type === "host.unhealthy")).toMatchObject({
      level: "warn",
      hostId: host.id,
      sessionId: first.id,
    });

    const listed = (await http("GET", `${cluster.url}/v1/hosts`)).json.items;
    const printed = hostsTable(listed, Date.now()) + unhealthyReports(listed);
    expect(printed).toMatch(/gated\s+unhealthy/);
    expect(printed).toContain(`left    namespace ${namespace}: network namespace created`);
    expect(printed).toContain(`cleaned process ${leftover!.pid} sleep 3600`);

    const cleared = await http("PATCH", `${cluster.url}/v1/hosts/gated`, { health: "clear" });
    expect(cleared.json).toMatchObject({ state: "online", health: { state: "healthy", report: null } });
    expect((await http("GET", `${cluster.url}/v1/sessions/${second.id}`)).json.state).toBe("active");
  });
});
