import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { LabBroker } from "../../src/client/broker.ts";
import { LabCluster } from "../support/lab-cluster.ts";
import { isRoot, NEEDS_ROOT } from "../support/native-labs.ts";
import { CLI_SELF, runCliCaptured, withCliSession } from "../support/run-cli-in-process.ts";
import { TEST_ADMIN_TOKEN } from "../support/test-broker.ts";
import { uniquelyNamed } from "../support/unique-topology.ts";
import { eventually } from "../support/wait-for.ts";
import { COMMANDS } from "../../src/cli/commands/index.ts";
import { runCli } from "../../src/cli/run-cli.ts";

/** The admin and job commands against a broker and an agent running as their own processes. */
const cluster = new LabCluster();
let broker: LabBroker;
beforeAll(async () => {
  await cluster.startBroker();
  await cluster.startAgent({ name: "admin-host", args: ["--label", "site=admin"] });
  broker = new LabBroker({ url: cluster.url, token: TEST_ADMIN_TOKEN });
});
afterAll(() => cluster.stop());

const cli = (argv: string[], session?: string) =>
  runCliCaptured(argv, { LABBROKER_URL: cluster.url, USER: "tester", ...(session ? { LABBROKER_SESSION: session } : {}) }, {
    signal: new AbortController().signal,
  });

const withSession = <T>(use: (id: string) => Promise<T>) =>
  withCliSession(cli, (id) => broker.endSession(id), ["--client-name", "admin-test", "--ci-job-url", "https://ci.example/jobs/7"], use);

describe("labbroker hosts drain | undrain | maintenance | show", () => {
  test(
    "drain keeps the holder, records the reason and who set it; show names holder, CI job and calendar; undrain returns the host",
    async () => {
      await using _inService = {
        [Symbol.asyncDispose]: () => broker.updateHost("admin-host", { drain: false, maintenance: false }).then(() => {}),
      };
      await withSession(async (id) => {
        const drained = await cli(["hosts", "drain", "admin-host", "--reason", "replacing the NIC"]);
        expect(drained).toEqual({
          code: 0,
          stdout: "Host admin-host is draining: its sessions carry on, no new ones start on it\n",
          stderr: "",
        });
        const listed = await cli(["hosts"]);
        expect(listed.stdout).toMatch(/^admin-host +draining \(replacing the NIC\) +native/m);

        const shown = await cli(["hosts", "show", "admin-host"]);
        expect(shown.code).toBe(0);
        expect(shown.stdout).toMatch(/^state +draining: replacing the NIC \(set by admin \(tester@\S+\) \d+s ago\)$/m);
        expect(shown.stdout).toMatch(
          new RegExp(`^held by +${id} \\(admin-test, CI job https://ci.example/jobs/7\\) since \\S+ \\(\\d+s\\)$`, "m"),
        );
        expect(shown.stdout).toMatch(new RegExp(`^holding +\\S+ +until released +${id} +admin-test$`, "m"));
        expect(JSON.parse((await cli(["hosts", "show", "admin-host", "--json"])).stdout)).toMatchObject({
          state: "draining",
          admin_reason_by: expect.stringMatching(/^admin \(tester@/),
          holder_sessions: [{ id }],
        });

        const queued = await cli(["session", "create", "--no-wait", "--json", "--client-name", "blocked"]);
        expect(JSON.parse(queued.stdout)).toMatchObject({ state: "waiting", wait_reason: "matching hosts are draining" });
        await broker.endSession(JSON.parse(queued.stdout).id);

        expect((await cli(["hosts", "maintenance", "admin-host", "--reason", "firmware"])).stdout).toContain("is in maintenance");
        expect(await broker.host("admin-host")).toMatchObject({ state: "maintenance", admin_reason: "firmware" });
        expect(await cli(["hosts", "undrain", "admin-host"])).toEqual({
          code: 0,
          stdout: "Host admin-host is back in service\n",
          stderr: "",
        });
        expect(await broker.host("admin-host")).toMatchObject({ state: "online", admin_reason: null, admin_reason_by: null });
      });
    },
    30_000,
  );

  test("an unknown host exits 1; a missing HOST, a stray argument or --reason without drain/maintenance exits 2", async () => {
    expect(await cli(["hosts", "drain", "no-such-host"])).toEqual({
      code: 1,
      stdout: "",
      stderr: 'labbroker hosts drain: Cannot find host "no-such-host" (404 Not found)\n',
    });
    for (
      const argv of [["hosts", "drain"], ["hosts", "show", "a", "b"], ["hosts", "undrain", "admin-host", "--reason", "x"], [
        "hosts",
        "evict",
        "admin-host",
      ]]
    ) {
      expect((await cli(argv)).code).toBe(2);
    }
  });
});

describe("labbroker job | session summary", () => {
  test(
    "job list shows PASS/FAIL, logs prints the output, wait exits 0/1/3, kill signals a running job; summary exits 1 when a job failed",
    async () => {
      await withSession(async (id) => {
        expect((await cli(["run", "m1", "-d", "greets", "--", "sh", "-c", "echo hello; echo warn >&2"], id)).code).toBe(0);
        expect((await cli(["run", "m1", "--", "sh", "-c", "exit 4"], id)).code).toBe(1);
        const started = await cli(["run", "m1", "--background", "--json", "--", "sleep", "30"], id);
        const sleeper = JSON.parse(started.stdout).id as string;
        const jobs = await broker.sessionJobs(id);
        const [greeter, failing] = jobs.map((job) => job.id);

        const listed = await cli(["job", "list"], id);
        expect(listed.code).toBe(0);
        expect(listed.stdout).toMatch(new RegExp(`^${greeter} +m1 +1 +PASS +sh -c echo hello; echo warn >&2 +greets$`, "m"));
        expect(listed.stdout).toMatch(new RegExp(`^${failing} +m1 +2 +FAIL \\(exit code 4\\) +sh -c exit 4$`, "m"));
        expect(listed.stdout).toMatch(new RegExp(`^${sleeper} +m1 +3 +RUNNING +sleep 30$`, "m"));

        expect(await cli(["job", "logs", greeter!])).toEqual({ code: 0, stdout: "hello\n", stderr: "warn\n" });
        expect(await cli(["job", "wait", greeter!])).toEqual({ code: 0, stdout: `Job ${greeter} PASS\n`, stderr: "" });
        expect(await cli(["job", "wait", failing!])).toEqual({ code: 1, stdout: `Job ${failing} FAIL: exit code 4\n`, stderr: "" });
        const impatient = await cli(["job", "wait", sleeper, "--wait-timeout", "0.3"]);
        expect(impatient.code).toBe(3);
        expect(impatient.stderr).toContain(`Job ${sleeper} is still running after 0.3 s`);
        expect((await cli(["job", "logs", sleeper])).code).toBe(0);

        const killed = await cli(["job", "kill", sleeper, "--signal", "SIGTERM"]);
        expect(killed.code).toBe(0);
        expect((await cli(["job", "wait", sleeper])).stdout).toBe(`Job ${sleeper} FAIL: killed by SIGTERM\n`);

        const summary = await cli(["session", "summary"], id);
        expect(summary.code).toBe(1);
        expect(summary.stdout).toContain("PASS");
        expect(summary.stdout).toContain("FAIL");
        expect((await cli(["session", "summary", id, "--chronological"])).stdout).toContain("greets");
      });
    },
    60_000,
  );

  test("an unknown job exits 1; a missing JOB_ID or session is a usage error (exit 2)", async () => {
    expect(await cli(["job", "wait", "no-such-job"])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('Cannot find job "no-such-job"'),
    });
    expect((await cli(["job", "logs"])).code).toBe(2);
    expect((await cli(["job", "list"])).code).toBe(2);
    expect((await cli(["job", "stop", "x"])).code).toBe(2);
  });
});

describe("labbroker events", () => {
  test("prints the last events of a type or a session, and --follow prints new ones until interrupted", async () => {
    await using _inService = { [Symbol.asyncDispose]: () => broker.updateHost("admin-host", { drain: false }).then(() => {}) };
    await withSession(async (id) => {
      const recent = await cli(["events", "--session", id, "-n", "5"]);
      expect(recent.code).toBe(0);
      expect(recent.stdout).toMatch(new RegExp(`^\\S+Z  session.created +session=${id}`, "m"));
      expect(recent.stdout).toMatch(new RegExp(`^\\S+Z  session.activated +session=${id}`, "m"));
      const typed = await cli(["events", "--type", "session.activated", "-n", "1", "--json"]);
      expect(typed.stdout.trim().split("\n").map((line) => JSON.parse(line))).toMatchObject([{
        type: "session.activated",
        session_id: id,
      }]);

      // Follow from the last host update: seeing it printed means the stream is live, then a new one must follow.
      await broker.updateHost("admin-host", { drain: true, reason: "before following" });
      const stop = new AbortController();
      let live = "";
      const following = runCli(["events", "--follow", "--type", "host.updated", "-n", "1"], {
        commands: COMMANDS,
        env: { LABBROKER_URL: cluster.url, LABBROKER_TOKEN: TEST_ADMIN_TOKEN },
        io: { stdout: (text) => void (live += text), stderr: () => {} },
        self: CLI_SELF,
        signal: stop.signal,
      });
      await eventually(() => live.includes("before following"), "the stored host update to be printed");
      await broker.updateHost("admin-host", { drain: false });
      await eventually(() => live.split("\n").filter(Boolean).length === 2, "the new host update to be printed");
      stop.abort();
      expect(await following).toBe(130);
      expect(live).toMatch(/host\.updated +host=\S+ +\{"name":"admin-host","drain":true,"reason":"before following"/);
      expect(live.split("\n")[1]).toMatch(/host\.updated +host=\S+ +\{"name":"admin-host","drain":false\}$/);
    });
    expect((await cli(["events", "--type", "Bad Type"])).code).toBe(2);
  }, 30_000);
});

describe.skipIf(!isRoot)(`labbroker lab logs${isRoot ? "" : ` (${NEEDS_ROOT})`}`, () => {
  test("prints a failed lab's log and then its error; an unknown lab exits 1", async () => {
    const fixture = readFileSync(join(import.meta.dir, "../fixtures/line3.clab.yml"), "utf8");
    const failing = uniquelyNamed(fixture.replace("name: line3", "name: logs3\nmgmt: { bridge: lo }"));
    await withSession(async (id) => {
      await using session = await broker.attach(id);
      const lab = await session.lab(failing, { fileName: "logs3.clab.yml" }).catch((error: { lab?: { id: string } }) => error.lab);
      const logs = await cli(["lab", "logs", lab!.id, "--follow"]);
      expect(logs.code).toBe(0);
      expect(logs.stderr).toMatch(/^lab logs3-[0-9a-f]{6}-\d+ failed: mgmt.bridge: "lo" already exists on this host/);
    });
    expect((await cli(["lab", "logs", "no-such-lab"])).code).toBe(1);
    expect((await cli(["lab", "logs"])).code).toBe(2);
  }, 60_000);
});
