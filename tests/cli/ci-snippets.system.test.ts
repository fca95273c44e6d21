import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { TEST_ADMIN_TOKEN } from "../support/test-broker.ts";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { VERSION } from "../../src/version.ts";
import { http } from "../support/http.ts";
import { CLUSTER_TOKEN, LabCluster } from "../support/lab-cluster.ts";
import { environmentWithoutLabbroker } from "../support/processes.ts";

/**
 * The session steps of examples/ci/*.yml, run as the CI systems run them (`bash -e`, and plain
 * bash for scripts without it) with `labbroker` on PATH, against a broker process: when create
 * gets a session the step exports it; when it does not, the step fails with create's exit code
 * instead of carrying on without a session.
 */
const EXAMPLES = join(import.meta.dir, "../../examples/ci");
const MAIN = join(import.meta.dir, "../../main.ts");

const github = parse(readFileSync(join(EXAMPLES, "github-actions.yml"), "utf8"));
const githubWaitStep: string = github.jobs["lab-tests"].steps.find((step: { name?: string }) => step.name === "Wait for a lab host").run;
const gitlab = parse(readFileSync(join(EXAMPLES, "gitlab-ci.yml"), "utf8"));
const gitlabBeforeScript: string = gitlab["lab-tests"].before_script.join("\n");

const cluster = new LabCluster();
const bin = join(cluster.root, "bin");
beforeAll(async () => {
  await cluster.startBroker();
  // A registered host with both tools the snippets ask for; no agent is needed to hold a session.
  const registered = await http(
    "POST",
    `${cluster.url}/v1/agents/register`,
    {
      name: "ci-snippet-host",
      version: VERSION,
      runtimes: [{ name: "containerlab", version: "0.54.2" }, { name: "netlab", version: "1.9.0" }],
    },
    { authorization: `Bearer ${CLUSTER_TOKEN}` },
  );
  expect(registered.status).toBe(201);
  mkdirSync(bin);
  writeFileSync(join(bin, "labbroker"), `#!/bin/sh\nexec "${process.execPath}" "${MAIN}" "$@"\n`);
  chmodSync(join(bin, "labbroker"), 0o755);
});
afterAll(() => cluster.stop());

/** Runs `script` (then `after`, in the same shell) like a CI step; a shorter --wait-timeout keeps the failing case quick. */
async function runStep(shell: string[], script: string, after: string, extraEnv: Record<string, string> = {}) {
  const folder = join(cluster.root, `step-${crypto.randomUUID()}`);
  mkdirSync(folder);
  const env = {
    ...environmentWithoutLabbroker(),
    PATH: `${bin}:${process.env.PATH}`,
    LABBROKER_URL: cluster.url,
    LABBROKER_TOKEN: TEST_ADMIN_TOKEN,
    GITHUB_ENV: join(folder, "github-env"),
    GITHUB_REPOSITORY: "team/network-tests",
    GITHUB_RUN_NUMBER: "7",
    GITHUB_SERVER_URL: "https://github.example",
    GITHUB_RUN_ID: "123",
    CI_PROJECT_PATH: "team/network-tests",
    ...extraEnv,
  };
  writeFileSync(join(folder, "github-env"), "");
  const step = Bun.spawn([...shell, "-c", `${script.replace("--wait-timeout 1800", "--wait-timeout 0.5")}\n${after}`], {
    cwd: folder,
    env,
    stdout: "pipe",
    stderr: "pipe",
  });
  const [code, stdout, stderr] = await Promise.all([step.exited, new Response(step.stdout).text(), new Response(step.stderr).text()]);
  const read = (name: string) => {
    try {
      return readFileSync(join(folder, name), "utf8");
    } catch {
      return null;
    }
  };
  return { code, stdout, stderr, githubEnv: read("github-env"), gitlabSession: read(".labbroker-session") };
}

const SNIPPETS = [
  { name: "GitHub Actions step", script: () => githubWaitStep },
  { name: "GitLab before_script", script: () => gitlabBeforeScript },
];

describe.each(SNIPPETS)("$name", ({ script }) => {
  test("with a free host: the session is exported and the next command works in it", async () => {
    const step = await runStep(["bash", "-e"], script(), 'labbroker session show; echo "after create"');
    expect(step.code).toBe(0);
    const id = /^session +(\S+)$/m.exec(step.stdout)?.[1];
    expect(step.stdout).toContain("state      active\n");
    expect(step.stdout).toEndWith("after create\n");
    expect(`${step.githubEnv}${step.gitlabSession}`).toContain(id!);
    expect((await http("DELETE", `${cluster.url}/v1/sessions/${id}`)).status).toBe(200);
  }, 30_000);

  test.each([{ shell: "bash -e" }, { shell: "bash" }])(
    "when --wait-timeout passes ($shell): the step fails with exit 3, says why and runs nothing after create",
    async ({ shell }) => {
      expect(script()).toContain("--wait-timeout 1800");
      const holder = await cluster.session("ci-snippet-host");
      try {
        const step = await runStep(shell.split(" "), script(), 'echo "after create"');
        expect(step.code).toBe(3);
        expect(step.stdout).toBe("");
        expect(step.stderr).toMatch(/labbroker session create: Session \S+ is still waiting after 0.5 s/);
        expect(step.githubEnv).toBe("");
        expect(step.gitlabSession).toBeNull();
      } finally {
        await http("DELETE", `${cluster.url}/v1/sessions/${holder.id}`);
      }
    },
    30_000,
  );

  test("when the broker cannot be reached: the step fails with exit 1 and names the broker", async () => {
    const step = await runStep(["bash", "-e"], script(), 'echo "after create"', { LABBROKER_URL: "http://127.0.0.1:1" });
    expect(step.code).toBe(1);
    expect(step.stdout).toBe("");
    expect(step.stderr).toContain("labbroker session create: Cannot reach the broker at http://127.0.0.1:1");
  }, 30_000);
});

test("in an interactive shell a failed create only sets $?: the person's shell stays open", async () => {
  const step = await runStep(["bash", "-i"], 'eval "$(labbroker session create --shell)"; echo "still here: $?"', "", {
    LABBROKER_URL: "http://127.0.0.1:1",
  });
  expect(step.code).toBe(0);
  expect(step.stdout).toBe("still here: 1\n");
}, 30_000);
