import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sha256Hex } from "../../src/sha256.ts";
import { http } from "../support/http.ts";
import { eventually } from "../support/wait-for.ts";
import { workKindsOf } from "../support/lab-work-kinds.ts";
import { LabCluster } from "../support/lab-cluster.ts";
import { isRoot, NEEDS_ROOT } from "../support/native-labs.ts";
import { environmentWithoutLabbroker } from "../support/processes.ts";
import { TEST_ADMIN_TOKEN } from "../support/test-broker.ts";
import { uniquelyNamed } from "../support/unique-topology.ts";

setDefaultTimeout(180_000);

const MAIN = join(import.meta.dir, "../../main.ts");
const FIRST = "warmcli-a";
const WARM = "warmcli-b";

const folder = mkdtempSync(join(tmpdir(), "labbroker-warm-cli-"));
const cluster = new LabCluster();
afterAll(async () => {
  await cluster.stop();
  rmSync(folder, { recursive: true, force: true });
});

const TOPOLOGY_FILE = join(folder, "warm.clab.yml");
writeFileSync(TOPOLOGY_FILE, uniquelyNamed(readFileSync(join(import.meta.dir, "../fixtures/line3.clab.yml"), "utf8")));

/**
 * A CI job as users write one, the CLI run as its own processes: a session (`CREATE_ARGS`), the
 * topology deployed with --keep-warm, the session ended. Returns the session id and the lab `lab up --json` printed.
 */
async function ciJob(createArgs: string, name: string) {
  const labJson = join(folder, `${name}.json`);
  const script = [
    "set -e",
    `lb() { "${process.execPath}" "${MAIN}" "$@"; }`,
    `eval "$(lb session create --shell --no-keeper ${createArgs})"`,
    'echo "session=$LABBROKER_SESSION"',
    `lb lab up "${TOPOLOGY_FILE}" --keep-warm --json > "${labJson}"`,
    "lb session end",
  ].join("\n");
  const shell = Bun.spawn(["bash", "-c", script], {
    env: { ...environmentWithoutLabbroker(), LABBROKER_URL: cluster.url, LABBROKER_TOKEN: TEST_ADMIN_TOKEN },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [code, stdout, stderr] = await Promise.all([shell.exited, new Response(shell.stdout).text(), new Response(shell.stderr).text()]);
  if (code !== 0) throw new Error(`CI job ${name} exited ${code}: ${stderr}`);
  return { sessionId: /^session=(\S+)$/m.exec(stdout)![1]!, lab: JSON.parse(readFileSync(labJson, "utf8")) };
}

/** The lab warm (reset and running, held by no one) and its host free again after the health gate's check. */
async function warmOn(labId: string, hostName: string) {
  return await eventually(
    async () => {
      const lab = (await http("GET", `${cluster.url}/v1/labs/${labId}`)).json;
      const host = (await http("GET", `${cluster.url}/v1/hosts`)).json.items.find((item: { name: string }) => item.name === hostName);
      return lab.state === "running" && lab.warm_until && host.used === 0 && host.health.state === "healthy" ? lab : null;
    },
    `lab ${labId} to be warm on a free ${hostName}`,
    60_000,
  );
}

const hostOf = async (sessionId: string) => (await http("GET", `${cluster.url}/v1/sessions/${sessionId}`)).json;

describe.skipIf(!isRoot)(`warm labs from the CLI${isRoot ? "" : ` (${NEEDS_ROOT})`}`, () => {
  test("lab up --keep-warm, then a session created with --warm-lab gets the host with the warm lab and lab up takes it without a deploy", async () => {
    await cluster.startBroker();
    await cluster.startAgent({ name: FIRST });
    await cluster.startAgent({ name: WARM });

    const first = await ciJob(`-r host=${WARM}`, "first");
    expect(first.lab).toMatchObject({ keep_warm: true, holders: [first.sessionId], topology_hash: sha256Hex(readFileSync(TOPOLOGY_FILE)) });
    await warmOn(first.lab.id, WARM);

    // The first host in the scheduler's order is free too; --warm-lab makes the one holding the warm lab come first.
    const second = await ciJob(`--warm-lab "${TOPOLOGY_FILE}"`, "second");
    const session = await hostOf(second.sessionId);
    expect(session.requirements).toEqual([expect.objectContaining({ role: "m1", warm_lab: first.lab.topology_hash })]);
    expect(session.hosts).toMatchObject({ m1: { name: WARM } });
    expect(second.lab).toMatchObject({ id: first.lab.id, instance_name: first.lab.instance_name, holders: [second.sessionId] });
    const warmAgain = await warmOn(first.lab.id, WARM);
    expect(await workKindsOf(cluster.url, first.lab.id)).toEqual(["deploy-lab", "reset-lab", "reset-lab"]);

    const shown = Bun.spawnSync([process.execPath, MAIN, "hosts", "show", WARM], {
      env: { ...environmentWithoutLabbroker(), LABBROKER_URL: cluster.url, LABBROKER_TOKEN: TEST_ADMIN_TOKEN },
    });
    expect(shown.stdout.toString()).toContain(
      `${first.lab.instance_name} running (native, id ${first.lab.id}, session ${first.sessionId}, warm until ${warmAgain.warm_until})`,
    );

    // Without --warm-lab the same request goes to the first host: the preference, not chance, chose the warm one.
    const plain = await ciJob("", "plain");
    expect((await hostOf(plain.sessionId)).hosts).toMatchObject({ m1: { name: FIRST } });
    expect(plain.lab.id).not.toBe(first.lab.id);
  });
});
