/**
 * A bun:test suite against a shared lab host: one session and one lab for the whole file, released
 * afterwards (also when a test fails, and on Ctrl-C). Point it at a broker and run it:
 *
 *   LABBROKER_URL=http://broker.lab:8000 LABBROKER_TOKEN=… bun test            (from this folder)
 *
 * In a CI job that holds a session already (LABBROKER_SESSION, from `labbroker session create
 * --shell`), the suite works in that session instead of queueing behind it.
 *
 * In a project of your own, import from wherever you keep labbroker's src/client.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { readLabFiles } from "../../src/client/lab-files.ts";
import { useLab } from "../../src/client/testing.ts";

const lab = useLab(
  { beforeAll, afterAll },
  {
    ...readLabFiles(join(import.meta.dir, "../topologies/native-routed-line.clab.yml")),
    client: { name: "example: routed line" },
    // While other suites hold the host, say where we stand.
    onWait: ({ position, reason }) => console.log(`waiting for a lab host: position ${position}, ${reason}`),
  },
);

describe("routed line h1 — r1 — h2", () => {
  test("h1 reaches h2 through r1", async () => {
    const ping = await lab.node("h1").run(["ping", "-c", "2", "-W", "2", "192.168.2.10"], { description: "h1 -> h2" });
    expect(ping.passed).toBe(true);
    expect(ping.stdout).toContain("2 received");
  });

  test("r1 forwards and has an address on each side", async () => {
    expect(await lab.node("r1").sysctl("net.ipv4.ip_forward")).toBe("1");
    const addresses = (await lab.node("r1").devices()).flatMap((device) => device.addresses.map((address) => `${device.name} ${address.local}`));
    expect(addresses).toEqual(expect.arrayContaining(["eth1 192.168.1.1", "eth2 192.168.2.1"]));
  });

  test("with r1's eth2 down, h2 is unreachable (the change is undone when the session ends)", async () => {
    await lab.node("r1").device("eth2").set({ up: false });
    const ping = await lab.node("h1").run(["ping", "-c", "1", "-W", "1", "192.168.2.10"], { expectFailure: true, description: "h2 unreachable" });
    expect(ping.passed).toBe(true);
    await lab.node("r1").device("eth2").set({ up: true });
  });

  test("a background job's output can be followed while it runs", async () => {
    const job = await lab.node("h2").run("for i in 1 2 3; do echo tick $i; sleep 0.1; done", { background: true });
    const ticks: string[] = [];
    for await (const chunk of job.output()) ticks.push(chunk.text.trim());
    expect(ticks).toEqual(["tick 1", "tick 2", "tick 3"]);
    expect((await job.wait(10)).passed).toBe(true);
  });
});
