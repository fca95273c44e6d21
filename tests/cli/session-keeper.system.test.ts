import { afterAll, beforeAll, expect, test } from "bun:test";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { VERSION } from "../../src/version.ts";
import { http } from "../support/http.ts";
import { eventually } from "../support/wait-for.ts";
import { CLUSTER_TOKEN, LabCluster } from "../support/lab-cluster.ts";
import { environmentWithoutLabbroker, TEST_CREDENTIALS } from "../support/processes.ts";

/**
 * The keeper that `session create --shell` starts, end to end: a broker process, the CLI in
 * `bash -e` scripts as a CI runner runs them. The broker drops a silent session after 2 s
 * (--active-timeout 2), so "a long step without lab use" is a few real seconds here, not 400.
 */
const MAIN = join(import.meta.dir, "../../main.ts");
const ACTIVE_TIMEOUT_S = 2;
const HOST = `keeper-host-${crypto.randomUUID().slice(0, 8)}`;

const cluster = new LabCluster();
const bin = join(cluster.root, "bin");
const leftovers: number[] = [];

beforeAll(async () => {
  await cluster.startBroker(["--active-timeout", String(ACTIVE_TIMEOUT_S)]);
  const registered = await http("POST", `${cluster.url}/v1/agents/register`, { name: HOST, version: VERSION, runtimes: [] }, {
    authorization: `Bearer ${CLUSTER_TOKEN}`,
  });
  expect(registered.status).toBe(201);
  mkdirSync(bin);
  writeFileSync(join(bin, "labbroker"), `#!/bin/sh\nexec "${process.execPath}" "${MAIN}" "$@"\n`);
  chmodSync(join(bin, "labbroker"), 0o755);
});

afterAll(async () => {
  for (const pid of leftovers) killQuietly(pid);
  await cluster.stop();
});

function killQuietly(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Starts `script` under bash like a CI job; resolves once it printed `session=ID` (its `sleep` pid is remembered for cleanup). */
async function startJob(shell: string[], script: string, env: Record<string, string> = {}, cwd?: string) {
  const job = Bun.spawn([...shell, script], {
    ...(cwd ? { cwd } : {}),
    env: {
      ...environmentWithoutLabbroker(),
      PATH: `${bin}:${process.env.PATH}`,
      LABBROKER_URL: cluster.url,
      LABBROKER_TOKEN: TEST_CREDENTIALS.LABBROKER_TOKEN,
      ...env,
    },
    stdout: "pipe",
    stderr: "pipe",
  });
  leftovers.push(job.pid);
  let stdout = "";
  let stderr = "";
  void (async () => {
    for await (const chunk of job.stdout.pipeThrough(new TextDecoderStream())) stdout += chunk;
  })();
  void (async () => {
    for await (const chunk of job.stderr.pipeThrough(new TextDecoderStream())) stderr += chunk;
  })();
  const sessionId = await eventually(async () => /session=(\S+)/.exec(stdout)?.[1], `the job's session (stderr: ${stderr})`);
  // The step's `sleep` is remembered for cleanup: its line may come a moment after the session's.
  if (script.includes("sleeper=")) {
    leftovers.push(Number(await eventually(async () => /sleeper=(\d+)/.exec(stdout)?.[1], "the step's sleep")));
  }
  const keeperPid = Number(/keeper pid (\d+)/.exec(stderr)?.[1]);
  return { job, sessionId, keeperPid, output: () => ({ stdout, stderr }) };
}

const sessionState = async (id: string) => (await http("GET", `${cluster.url}/v1/sessions/${id}`)).json;

// A step that never uses the lab: `sleep` in the background so the test can clean it up after SIGKILL.
const LONG_STEP = 'sleep 600 & echo "sleeper=$!"; wait';

test("killing the job's shell (SIGKILL) ends its session within 10 s and the next waiting session activates", async () => {
  const first = await startJob(
    ["bash", "-e", "-c"],
    `eval "$(labbroker session create --shell --require host=${HOST})"\necho "session=$LABBROKER_SESSION"\n${LONG_STEP}`,
  );
  expect(first.output().stderr).toContain(`is kept alive while process ${first.job.pid} (bash) lives`);
  const next = await http("POST", `${cluster.url}/v1/sessions`, { requirements: [{ host: HOST }] });
  expect(next.json.state).toBe("waiting");
  try {
    const killedAt = Date.now();
    first.job.kill("SIGKILL");
    await first.job.exited;
    await eventually(async () => (await sessionState(next.json.id)).state === "active", "the next session to activate", 10_000);
    expect(Date.now() - killedAt).toBeLessThan(10_000);
    const ended = await sessionState(first.sessionId);
    expect(ended).toMatchObject({ state: "ended", end_reason: "released" });
    await eventually(async () => !isRunning(first.keeperPid), "the keeper to exit");
  } finally {
    await http("DELETE", `${cluster.url}/v1/sessions/${next.json.id}`);
  }
}, 40_000);

test(
  "through `npx labbroker` (as the README runs it in the checkout) the keeper watches the job's shell, not npm's launchers",
  async () => {
    const job = await startJob(
      ["bash", "-e", "-c"],
      `eval "$(npx --no-install labbroker session create --shell --require host=${HOST})"\necho "session=$LABBROKER_SESSION"\n${LONG_STEP}`,
      {},
      join(import.meta.dir, "../.."),
    );
    try {
      expect(job.output().stderr).toContain(`is kept alive while process ${job.job.pid} (bash) lives`);
      // npm's processes are gone by now; the session lives on with the shell.
      expect((await sessionState(job.sessionId)).state).toBe("active");
      job.job.kill("SIGKILL");
      await job.job.exited;
      await eventually(async () => (await sessionState(job.sessionId)).state === "ended", "the session to end with its shell", 10_000);
    } finally {
      await http("DELETE", `${cluster.url}/v1/sessions/${job.sessionId}`);
    }
  },
  60_000,
);

test("a step longer than the broker's active timeout, without lab use, keeps the session", async () => {
  const job = await startJob(
    ["bash", "-e", "-c"],
    `eval "$(labbroker session create --shell --require host=${HOST})"\necho "session=$LABBROKER_SESSION"\n${LONG_STEP}`,
  );
  try {
    // Three active timeouts of silence from the job itself: only the keeper speaks for it.
    await Bun.sleep(3 * ACTIVE_TIMEOUT_S * 1000);
    expect((await sessionState(job.sessionId)).state).toBe("active");
  } finally {
    job.job.kill("SIGKILL");
    await eventually(async () => (await sessionState(job.sessionId)).state === "ended", "the session to end with the job");
  }
}, 40_000);

test("under GitHub Actions the session outlives the step that created it and ends with the job", async () => {
  // The runner's worker runs each step as a shell of its own: the keeper watches the worker (here a bash).
  const worker =
    `bash -e -c 'eval "$(labbroker session create --shell --require host=${HOST})"; echo "session=$LABBROKER_SESSION"'\n${LONG_STEP}`;
  const github = {
    GITHUB_ACTIONS: "true",
    GITHUB_SHA: "9fceb02",
    GITHUB_REF_NAME: "main",
    GITHUB_JOB: "lab-tests",
    GITHUB_SERVER_URL: "https://github.example",
    GITHUB_REPOSITORY: "team/net",
    GITHUB_RUN_ID: "42",
    GITHUB_RUN_ATTEMPT: "1",
    GITHUB_WORKFLOW: "lab tests",
    GITHUB_RUN_NUMBER: "7",
  };
  const job = await startJob(["bash", "-c"], worker, github);
  try {
    expect(job.output().stderr).toContain(`is kept alive while process ${job.job.pid} (bash) lives`);
    await Bun.sleep(3 * ACTIVE_TIMEOUT_S * 1000);
    const session = await sessionState(job.sessionId);
    expect(session.state).toBe("active");
    expect(session.client).toEqual({
      ci_system: "github-actions",
      ci_job_url: "https://github.example/team/net/actions/runs/42/attempts/1",
      ci_job_id: "lab-tests",
      ci_pipeline: "lab tests #7",
      ci_pipeline_url: "https://github.example/team/net/actions/runs/42",
      ci_commit: "9fceb02",
      ci_branch: "main",
    });
  } finally {
    job.job.kill("SIGKILL");
  }
  await eventually(async () => (await sessionState(job.sessionId)).state === "ended", "the session to end with the job", 10_000);
}, 40_000);

test("session keepalive binds a session created without a keeper to the calling shell", async () => {
  const job = await startJob(
    ["bash", "-e", "-c"],
    `eval "$(labbroker session create --shell --no-keeper --require host=${HOST})"\nlabbroker session keepalive\necho "session=$LABBROKER_SESSION"\n${LONG_STEP}`,
  );
  expect(job.output().stderr).toContain(
    `labbroker: session ${job.sessionId} is kept alive while process ${job.job.pid} (bash) lives; keeper pid ${job.keeperPid}`,
  );
  job.job.kill("SIGKILL");
  await eventually(async () => (await sessionState(job.sessionId)).state === "ended", "the session to end with the shell", 10_000);
  await eventually(async () => !isRunning(job.keeperPid), "the keeper to exit");
}, 40_000);
