import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { TEST_ADMIN_TOKEN } from "../support/test-broker.ts";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { shellQuote } from "../../src/cli/client/shell-quote.ts";
import { LabBroker } from "../../src/client/broker.ts";
import { runCommand } from "../../src/hosts/command-runner.ts";
import { LabCluster } from "../support/lab-cluster.ts";
import { isRoot, NEEDS_ROOT } from "../support/native-labs.ts";
import { uniquelyNamed } from "../support/unique-topology.ts";
import { environmentWithoutLabbroker } from "../support/processes.ts";
import { runCliCaptured, withCliSession } from "../support/run-cli-in-process.ts";

const MAIN = join(import.meta.dir, "../../main.ts");
const FIXTURE = readFileSync(join(import.meta.dir, "../fixtures/line3.clab.yml"), "utf8");
const LINE3 = uniquelyNamed(FIXTURE);
const NEW_COMMANDS = ["session", "lab", "run", "hosts", "queue"];

const cluster = new LabCluster();
const folder = mkdtempSync(join(tmpdir(), "labbroker-cli-"));
let broker: LabBroker;
beforeAll(async () => {
  await cluster.startBroker();
  await cluster.startAgent({ name: "cli-host", args: ["--label", "site=here"] });
  broker = new LabBroker({ url: cluster.url, token: TEST_ADMIN_TOKEN });
});
afterAll(async () => {
  await cluster.stop();
  rmSync(folder, { recursive: true, force: true });
});

/** The CLI in this process against the test broker; `session` sets LABBROKER_SESSION. */
const cli = (argv: string[], session?: string, env: Record<string, string> = {}) =>
  runCliCaptured(argv, { LABBROKER_URL: cluster.url, ...(session ? { LABBROKER_SESSION: session } : {}), ...env }, {
    signal: new AbortController().signal,
  });

const withSession = <T>(use: (id: string) => Promise<T>) =>
  withCliSession(cli, (id) => broker.endSession(id), ["--client-name", "cli-test"], use);

describe("client commands: --help", () => {
  test.each(NEW_COMMANDS)("%s --help exits 0 and shows its usage and the broker option", async (name) => {
    const result = await runCliCaptured([name, "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toStartWith(`Usage: labbroker ${name}`);
    expect(result.stdout).toContain("--broker URL");
    expect(result.stdout).toContain("[env LABBROKER_URL]");
  });
});

describe("labbroker session", () => {
  test("create prints the session and its hosts; --json the whole session; a missing or wrong action is a usage error", async () => {
    const created = await cli(["session", "create", "--require", "m1:site=here", "--client-name", "people"]);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^Session \S+ active\n {2}m1=cli-host\n$/);
    const id = created.stdout.split(" ")[1]!;
    expect((await broker.getSession(id)).client).toEqual({ name: "people" });
    await broker.endSession(id);

    expect((await cli(["session"])).code).toBe(2);
    expect((await cli(["session", "start"])).stderr).toStartWith(
      'labbroker session: expected one of create, show, list, end, summary, keepalive, manifest, not "start"',
    );
    const badRequire = await cli(["session", "create", "--require", "site"]);
    expect(badRequire.code).toBe(2);
    expect(badRequire.stderr).toStartWith('labbroker session: invalid --require "site": expected KEY=VALUE');
  });

  test("create --shell prints quoted export lines that a shell can eval; end then releases the session, and again is fine", async () => {
    const script =
      `eval "$("${process.execPath}" "${MAIN}" session create --shell --client-name ci)" && echo "session=$LABBROKER_SESSION" && "${process.execPath}" "${MAIN}" session end && "${process.execPath}" "${MAIN}" session end`;
    const shell = Bun.spawn(["bash", "-c", script], {
      env: { ...environmentWithoutLabbroker(), LABBROKER_URL: cluster.url, LABBROKER_TOKEN: TEST_ADMIN_TOKEN },
      stdout: "pipe",
      stderr: "pipe",
    });
    const [code, stdout, stderr] = await Promise.all([shell.exited, new Response(shell.stdout).text(), new Response(shell.stderr).text()]);
    const id = /^session=(\S+)$/m.exec(stdout)![1]!;
    expect({ code, stderr }).toEqual({
      code: 0,
      stderr: `labbroker: session ${id} is kept alive while process ${shell.pid} (bash) lives; keeper pid ${
        /keeper pid (\d+)/.exec(stderr)?.[1]
      }\n`,
    });
    expect(stdout).toContain(`Session ${id} ended (released)\nSession ${id} had already ended (released)\n`);
    expect(await broker.getSession(id)).toMatchObject({ state: "ended", client: { name: "ci" } });
  }, 20_000);

  test("create --wait-timeout exits 3 while the host is held, and the waiting session is cancelled", async () => {
    await withSession(async (holder) => {
      const waited = await cli(["session", "create", "--wait-timeout", "0.5", "--client-name", "impatient"]);
      expect(waited.code).toBe(3);
      expect(waited.stderr).toMatch(
        new RegExp(
          `^\\[[0-9T:-]+Z\\] session \\S+ waiting 0s: position 0, all matching hosts are held by active sessions; cli-host held by ${holder} \\(cli-test\\) for \\d+s`,
          "m",
        ),
      );
      expect(waited.stderr).toMatch(/labbroker session create: Session \S+ is still waiting after 0.5 s/);
      expect((await broker.sessions()).map((session) => session.id)).toEqual([holder]);
    });
  });

  test("show, list and end by id and from LABBROKER_SESSION; unknown ids exit 1; end without a session is a no-op", async () => {
    await withSession(async (id) => {
      const shown = await cli(["session", "show"], id);
      expect(shown.code).toBe(0);
      expect(shown.stdout).toContain(`session    ${id}\nstate      active\nhosts      m1=cli-host\n`);
      expect(JSON.parse((await cli(["session", "show", id, "--json"])).stdout)).toMatchObject({ id, state: "active", labs: [] });
      const listed = await cli(["session", "list"]);
      expect(listed.stdout.split("\n")[0]).toMatch(/^SESSION +STATE +HOSTS +CLIENT +CREATED$/);
      expect(listed.stdout).toContain(id);
    });
    const unknown = await cli(["session", "show", "no-such-session"]);
    expect(unknown).toEqual({
      code: 1,
      stdout: "",
      stderr: 'labbroker session show: Cannot find session "no-such-session" (404 Not found)\n',
    });
    expect((await cli(["session", "end", "no-such-session"])).code).toBe(1);
    expect(await cli(["session", "end"])).toEqual({
      code: 0,
      stdout: "",
      stderr: "labbroker session end: no session given (--session / LABBROKER_SESSION): nothing to end\n",
    });
    expect((await cli(["session", "list", "--state", "ended", "--limit", "1", "--json"])).stdout).toContain('"state": "ended"');
  });

  test("an unreachable broker exits 1 naming the URL", async () => {
    const result = await runCliCaptured(["hosts", "--broker", "http://127.0.0.1:1"], {}, { signal: new AbortController().signal });
    expect(result.code).toBe(1);
    expect(result.stderr).toStartWith("labbroker hosts: Cannot reach the broker at http://127.0.0.1:1:");
  });
});

test("shell quoting survives eval whatever the value holds", async () => {
  const value = 'it\'s $HOME `id` "quoted" \\ end';
  // As in eval "$(labbroker session create --shell)": the line reaches eval unexpanded.
  const shell = Bun.spawn(["bash", "-c", 'eval "$LINE"; printf %s "$V"'], {
    env: { LINE: `export V=${shellQuote(value)}` },
    stdout: "pipe",
  });
  expect(await new Response(shell.stdout).text()).toBe(value);
});

describe("labbroker run", () => {
  test("streams output, exits 0 when the job passed and 1 when it did not, saying why", async () => {
    await withSession(async (id) => {
      const failing = await cli(["run", "m1", "--", "sh", "-c", "echo out; echo err >&2; exit 3"], id);
      expect(failing).toEqual({ code: 1, stdout: "out\n", stderr: "err\nlabbroker run: job 1 failed: exit code 3\n" });
      expect(await cli(["run", "m1", "--shell", "--", "echo a b | wc -w"], id)).toEqual({ code: 0, stdout: "2\n", stderr: "" });
      expect((await cli(["run", "m1", "--expect-failure", "--", "false"], id)).code).toBe(0);
      expect(await cli(["run", "m1", "--timeout", "0.3", "--", "sleep", "5"], id)).toMatchObject({
        code: 1,
        stderr: expect.stringContaining("labbroker run: job 4 failed: killed after its"),
      });
      const json = await cli(["run", "m1", "--json", "--env", "GREETING=hi there", "--", "sh", "-c", "echo $GREETING"], id);
      expect(json.code).toBe(0);
      expect(JSON.parse(json.stdout)).toMatchObject({ number: 5, state: "finished", passed: true, stdout: "hi there\n" });
      const background = await cli(["run", "m1", "--background", "--", "sleep", "0.2"], id);
      expect(background.stdout).toMatch(/^Job \S+ started in the background \(number 6\)\n$/);
    });
  }, 30_000);

  test("a target that is neither a role nor a lab node, or no session, is a usage error (exit 2)", async () => {
    await withSession(async (id) => {
      const wrong = await cli(["run", "zz", "--", "true"], id);
      expect(wrong.code).toBe(2);
      expect(wrong.stderr.split("\n")[0]).toBe(
        `labbroker run: session ${id} has no role or running lab node "zz" (roles: m1; nodes: none)`,
      );
    });
    expect((await cli(["run", "m1", "--", "true"])).code).toBe(2);
    expect((await cli(["run", "m1"], "some-session")).stderr).toStartWith("labbroker run: expected ROLE|NODE -- CMD…");
  });
});

describe("labbroker run and lab up: what they say when they cannot start", () => {
  test("run in a session that is still waiting says so, with its place in the queue (exit 1), instead of 'no role'", async () => {
    await withSession(async () => {
      const queued = await broker.session({ client: { name: "queued" }, wait: false });
      queued.detach();
      try {
        const result = await cli(["run", "m1", "--", "true"], queued.id);
        expect(result).toEqual({
          code: 1,
          stdout: "",
          stderr:
            `labbroker run: session ${queued.id} is waiting (position 1 in the queue: all matching hosts are held by active sessions); jobs run once it is active\n`,
        });
      } finally {
        await queued.end();
      }
    });
  });

  test("run --json of a foreground job reports background: false", async () => {
    await withSession(async (id) => {
      const result = await cli(["run", "m1", "--json", "--", "true"], id);
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ state: "finished", passed: true, background: false });
    });
  });

  test("lab up with a topology file that does not exist says so, without a raw ENOENT", async () => {
    await withSession(async (id) => {
      const absent = join(folder, "absent.yml");
      expect(await cli(["lab", "up", absent], id)).toEqual({
        code: 2,
        stdout: "",
        stderr: `labbroker lab: Topology file "${absent}" does not exist\nRun 'labbroker lab --help' for usage.\n`,
      });
      const missingExtra = await cli([
        "lab",
        "up",
        join(import.meta.dir, "../fixtures/line3.clab.yml"),
        "--extra",
        join(folder, "no-configs"),
      ], id);
      expect(missingExtra.stderr).toStartWith(`labbroker lab: Extra file or folder "${join(folder, "no-configs")}" does not exist\n`);
    });
  });
});

describe.skipIf(!isRoot)(`labbroker lab${isRoot ? "" : ` (${NEEDS_ROOT})`}`, () => {
  test("lab up streams the deploy log, uploads extra files and prints the nodes; run reaches a node; lab down removes it", async () => {
    const labDir = join(folder, "line3");
    mkdirSync(join(labDir, "configs", "a"), { recursive: true });
    writeFileSync(join(labDir, "line3.clab.yml"), LINE3);
    writeFileSync(join(labDir, "configs", "a", "frr.conf"), "hostname a\n");
    await withSession(async (id) => {
      const up = await cli(["lab", "up", join(labDir, "line3.clab.yml"), "--extra", join(labDir, "configs")], id);
      expect(up).toMatchObject({ code: 0 });
      expect(up.stderr).toContain('[b] Executed command node=b command="ip addr add 10.0.2.2/24 dev eth2" rc=0\n');
      expect(up.stdout).toMatch(
        /^Lab line3-[0-9a-f]{6}-\d+ running \(native, id \S+\)\nNODE +KIND +STATE +MGMT IPV4\na +linux +running +\d+\.\d+\.\d+\.\d+\n/,
      );
      const [lab] = await broker.labs({ session_id: id });
      expect(lab!.files.map((file) => file.path).sort()).toEqual(["configs/a/frr.conf", "line3.clab.yml"]);

      expect(await cli(["run", "a", "--", "ping", "-c", "1", "-W", "2", "10.0.2.3"], id)).toMatchObject({
        code: 0,
        stdout: expect.stringContaining("1 received"),
      });
      expect(await cli(["lab", "down"], id)).toEqual({ code: 0, stdout: `Lab ${lab!.instance_name} destroyed\n`, stderr: "" });
      expect((await runCommand(["ip", "netns", "list"], { timeoutMs: 10_000 })).stdout).not.toContain(lab!.instance_name);
    });
  }, 60_000);

  test("lab up into a session whose host still runs its lab names that lab and how to let it go", async () => {
    const first = join(folder, "first.clab.yml");
    const second = join(folder, "second.clab.yml");
    writeFileSync(first, uniquelyNamed(FIXTURE.replace("name: line3", "name: first3")));
    writeFileSync(second, uniquelyNamed(FIXTURE.replace("name: line3", "name: second3")));
    await withSession(async (id) => {
      expect((await cli(["lab", "up", first], id)).code).toBe(0);
      const [held] = await broker.labs({ session_id: id });
      const busy = await cli(["lab", "up", second], id);
      expect(busy.code).toBe(1);
      expect(busy.stderr).toEndWith(
        `: session ${id} holds lab ${held!.instance_name} (id ${held!.id}, running); destroy it with 'labbroker lab down ${
          held!.id
        }', or keep it running for reuse with 'labbroker lab down --release ${held!.id}' (423 Locked)\n`,
      );
      expect(busy.stderr.split("\n").length).toBe(2);
      expect((await cli(["lab", "down", held!.id], id)).code).toBe(0);
    });
  }, 60_000);

  test("lab up exits 1 for a lab that fails, 3 when --wait-timeout passes first, 2 for a missing file", async () => {
    const slow = join(folder, "slow.clab.yml");
    writeFileSync(
      slow,
      uniquelyNamed(
        FIXTURE.replace("name: line3", "name: slow3").replace(
          "        - ip route add 10.0.2.0/24 via 10.0.1.2",
          "        - ip route add 10.0.2.0/24 via 10.0.1.2\n        - sleep 3",
        ),
      ),
    );
    const failing = join(folder, "failing.clab.yml");
    writeFileSync(failing, uniquelyNamed(FIXTURE.replace("name: line3", "name: failing3\nmgmt: { bridge: lo }")));
    await withSession(async (id) => {
      const failed = await cli(["lab", "up", failing], id);
      expect(failed.code).toBe(1);
      expect(failed.stderr).toMatch(
        /labbroker lab up: Lab failing3-[0-9a-f]{6}-\d+ is failed: mgmt.bridge: "lo" already exists on this host/,
      );
      const timedOut = await cli(["lab", "up", slow, "--wait-timeout", "0.5"], id);
      expect(timedOut.code).toBe(3);
      expect(timedOut.stderr).toMatch(/labbroker lab up: Lab slow3-[0-9a-f]{6}-\d+ is still deploying after 0.5 s\n$/);
      expect((await cli(["lab", "up", join(folder, "absent.yml")], id)).code).toBe(2);
    });
  }, 60_000);
});
