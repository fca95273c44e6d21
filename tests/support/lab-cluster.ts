import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { destroyNativeLabsOf } from "./agent-labs.ts";
import { http } from "./http.ts";
import { eventually } from "./wait-for.ts";
import { brokerUrl, type LabbrokerProcess, listenArgs, startLabbroker, stopAllProcesses } from "./processes.ts";

export const CLUSTER_TOKEN = "lbe_cluster-e2e-enrollment-token";

export interface AgentSpec {
  name: string;
  args?: string[];
  env?: Record<string, string>;
}

/**
 * A broker and agents as separate processes on loopback, each agent with its own work dir. `stop`
 * kills them and destroys every native lab their records show, so a failed test leaves nothing.
 */
export class LabCluster {
  readonly root = mkdtempSync(join(tmpdir(), "labbroker-cluster-"));
  readonly agents = new Map<string, { process: LabbrokerProcess; workDir: string; spec: AgentSpec }>();
  broker!: LabbrokerProcess;
  url = "";
  port = 0;

  /** `binary`: run the compiled labbroker instead of the sources. */
  constructor(private readonly binary?: string) {}

  async startBroker(args: string[] = [], port = 0): Promise<string> {
    this.broker = startLabbroker([
      "broker",
      ...listenArgs(join(this.root, "broker.db"), { port }),
      "--enroll-token",
      CLUSTER_TOKEN,
      ...args,
    ], {
      ...(this.binary ? { binary: this.binary } : {}),
    });
    this.url = await brokerUrl(this.broker);
    this.port = Number(new URL(this.url).port);
    return this.url;
  }

  /** Starts (or restarts) an agent; the first start enrolls, later ones re-attach with the stored token. */
  async startAgent(spec: AgentSpec): Promise<LabbrokerProcess> {
    const workDir = this.agents.get(spec.name)?.workDir ?? join(this.root, `agent-${spec.name}`);
    const firstStart = !this.agents.has(spec.name);
    const process = startLabbroker([
      "agent",
      "--broker",
      this.url,
      "--name",
      spec.name,
      "--work-dir",
      workDir,
      ...(firstStart ? ["--token", CLUSTER_TOKEN] : []),
      ...(spec.args ?? []),
    ], {
      ...(spec.env ? { env: spec.env } : {}),
      ...(this.binary ? { binary: this.binary } : {}),
    });
    this.agents.set(spec.name, { process, workDir, spec });
    await process.waitForLog((line) => line.msg === "agent registered" || line.msg === "using the stored agent registration");
    return process;
  }

  agentProcess(name: string): LabbrokerProcess {
    return this.agents.get(name)!.process;
  }

  /** A session holding the named host (pinned), active at once. */
  /**
   * A session holding the named host (pinned), once active: at once on a free host, or after the
   * health gate's check that follows the host's previous session (a moment).
   */
  async session(host: string, headers: Record<string, string> = {}): Promise<{ id: string }> {
    const created = await http("POST", `${this.url}/v1/sessions`, { requirements: [{ host }] }, headers);
    if (created.status !== 201) throw new Error(`session refused: ${created.text}`);
    return eventually(async () => {
      const session = (await http("GET", `${this.url}/v1/sessions/${created.json.id}`, undefined, headers)).json;
      if (session?.state === "ended") throw new Error(`session ended while waiting: ${JSON.stringify(session)}`);
      return session?.state === "active" ? session : null;
    }, `session ${created.json.id} on ${host} to become active`);
  }

  async stop(): Promise<void> {
    await stopAllProcesses();
    for (const { workDir } of this.agents.values()) await destroyNativeLabsOf(workDir);
    rmSync(this.root, { recursive: true, force: true });
  }
}
