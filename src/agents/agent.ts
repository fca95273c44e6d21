import { type Clock, sleepOn } from "../clock.ts";
import { LAB_WORK_VERBS } from "../protocol/lab-work.ts";
import { AGENT_POLL_HOLD_S } from "../protocol/poll-timing.ts";
import type { WorkDelivery } from "../protocol/agent-schemas.ts";
import type { Logger } from "../log.ts";
import type { HealthGateMode } from "../protocol/health-gate-modes.ts";
import { HostHealthGate } from "../hosts/health/host-health-gate.ts";
import { VERSION } from "../version.ts";
import { PROTOCOL_VERSION } from "../protocol/protocol-version.ts";
import { loadCredentials, saveCredentials } from "./agent-credentials.ts";
import { AgentWorkJournal, type WorkOutcomeRecord } from "./agent-work-journal.ts";
import { BrokerClient, BrokerRequestError, BrokerUnreachableError, isDefiniteRefusal } from "./broker-client.ts";
import { EventSender } from "./event-sender.ts";
import { createSerializer } from "../serializer.ts";
import type { AgentServices } from "./agent-services.ts";
import { killOrphanedRuns } from "../hosts/orphaned-runs.ts";
import { JobRegistry } from "../hosts/jobs/job-registry.ts";
import { executeWork } from "./executors/index.ts";
import { readArrivedWork } from "../protocol/work-delivery.ts";
import { detectInventory, type HostInventory } from "./inventory.ts";
import { LabInstanceReporter, runningLabInstances } from "./lab-instance-report.ts";
import { loadOrCreateInstallId } from "./install-id.ts";
import { createLabRuntimes } from "./lab-runtimes.ts";
import { Reconnect } from "./reconnect.ts";
import { fetchTrusting } from "../platform/tls-fetch.ts";

export interface AgentOptions {
  brokerUrl: string;
  /** Needed for the first registration; later starts may use the token stored in the work dir. */
  enrollToken?: string;
  /** PEM CA certificate the broker's HTTPS certificate is checked against (besides the system's). */
  caPem?: string;
  name: string;
  labels: Record<string, string>;
  capacity: number;
  workDir: string;
  env: Record<string, string | undefined>;
  clock: Clock;
  log: Logger;
  /** Put before containerlab/netlab calls, e.g. `["sudo", "-n"]`. */
  toolPrefix: readonly string[];
  /** What the agent checks after each session (see src/hosts/health). */
  healthGate: HealthGateMode;
  /**
   * Aborting stops polling and cancels running work but lab work, which gets LAB_WORK_STOP_GRACE_MS to finish (jobs
   * are left to the next start, which kills them). Returns once results are reported (at most FLUSH_ON_STOP_MS more).
   */
  signal: AbortSignal;
}

const FLUSH_ON_STOP_MS = 5_000;
/**
 * How long a stopping agent waits for lab work in flight. A destroy cut off by the process's exit leaves the
 * rest of the lab on the host (a bridge without its namespaces) until the agent starts again and redoes it.
 */
const LAB_WORK_STOP_GRACE_MS = 10_000;
const NOT_CANCELLED = new AbortController().signal;
/** While the lab listing runs, polls are short so its report goes out as soon as it is ready. */
const POLL_WAIT_WHILE_LISTING_S = 1;

/**
 * The agent: registers (or re-attaches with its stored token), then long-polls for work and runs
 * each item with the executor of its kind, streaming output and the result back in order.
 * Survives broker restarts by retrying; survives its own restarts through its work journal.
 */
export async function runAgent(options: AgentOptions): Promise<void> {
  const { clock, log, signal } = options;
  const client = new BrokerClient(options.brokerUrl, ...(options.caPem ? [fetchTrusting(options.caPem)] : []));
  const journal = new AgentWorkJournal(options.workDir);
  const orphans = await killOrphanedRuns();
  if (orphans.length > 0) log.warn("killed processes of runs a previous agent process left behind", { pids: orphans });
  const inventory = await detectInventory(options.env, options.healthGate);
  const health = new HostHealthGate(options.healthGate, clock);
  await health.takeBaseline();
  const nativeUnavailable = inventory.inventory.native_unavailable_reason;
  if (nativeUnavailable) log.warn("the native runtime is unavailable on this host", { reason: nativeUnavailable });
  const runtimes = createLabRuntimes(inventory.runtimes, { workDir: options.workDir, env: options.env, toolPrefix: options.toolPrefix });
  let auth = await connect(options, client, inventory, new Reconnect(clock, log));
  const running = new Set<string>();
  const labWorkInFlight = new Set<Promise<void>>();
  // The sender outlives the stop signal: what the agent reports while stopping (the outcome of lab work it let finish)
  // is sent until flushed or FLUSH_ON_STOP_MS.
  const senderStop = new AbortController();
  const sender = new EventSender(client, () => auth, clock, log, senderStop.signal, (event) => {
    if (event.type === "result") running.delete(event.work_id);
  });
  const labReporter = new LabInstanceReporter(() => runningLabInstances(runtimes, log), clock);
  const serializeLabOperation = createSerializer();
  const services: AgentServices = {
    runtimes,
    fetchLabFiles: async (labId) => {
      const { files } = await client.labFiles(auth.agentId, auth.agentToken, labId);
      return files.map((file) => ({ path: file.path, content: new Uint8Array(Buffer.from(file.content_base64, "base64")) }));
    },
    jobs: new JobRegistry(),
    health,
    serializeLabOperation: (operation) => serializeLabOperation(operation).finally(() => labReporter.labOperationFinished()),
  };

  const execute = (work: WorkDelivery) => {
    if (running.has(work.id)) return;
    const entry = journal.get(work.id);
    if (entry?.state === "finished" && entry.outcome) {
      log.info("resending the outcome of finished work", { workId: work.id, kind: work.kind });
      running.add(work.id);
      sender.resend({ work_id: work.id, seq: entry.nextSeq - 1, type: "result", ...entry.outcome });
      return;
    }
    running.add(work.id);
    sender.resumeAt(work.id, entry?.nextSeq ?? 1);
    journal.start(work.id, work.kind, clock.now());
    log.info("work started", { workId: work.id, kind: work.kind, attempt: work.attempt, interrupted: entry?.state === "interrupted" });
    const labWork = work.kind in LAB_WORK_VERBS;
    // Work in another protocol version, of an unknown kind or with a payload that does not fit fails saying so.
    const readable = readArrivedWork(work);
    const run = readable.ok
      ? executeWork(readable.value, {
        work,
        output: (line) => sender.send({ work_id: work.id, type: "output", stream: line.stream, node: line.node ?? null, text: line.text }),
        // A stop does not cancel lab work: it gets LAB_WORK_STOP_GRACE_MS to finish.
        signal: labWork ? NOT_CANCELLED : signal,
        env: options.env,
        workDir: options.workDir,
        interrupted: entry?.state === "interrupted",
        services,
      })
      : Promise.reject(new Error(readable.error));
    const reported = run
      .then((result): WorkOutcomeRecord => ({ ok: true, result, error: null }))
      .catch((error: unknown): WorkOutcomeRecord => ({
        ok: false,
        result: null,
        error: error instanceof Error ? error.message : String(error),
      }))
      .then((outcome) => {
        journal.finish(work.id, outcome, sender.nextSeqOf(work.id) + 1, clock.now());
        log.info("work finished", { workId: work.id, kind: work.kind, ok: outcome.ok, error: outcome.error });
        sender.send({ work_id: work.id, type: "result", ...outcome });
      });
    if (labWork) {
      labWorkInFlight.add(reported);
      void reported.finally(() => labWorkInFlight.delete(reported));
    }
  };

  const reconnect = new Reconnect(clock, log);
  while (!signal.aborted) {
    try {
      const labs = labReporter.next();
      const waitSeconds = labReporter.listing ? POLL_WAIT_WHILE_LISTING_S : AGENT_POLL_HOLD_S;
      const { work, agent_token } = await client.poll(auth.agentId, auth.agentToken, {
        running: [...running],
        wait_s: waitSeconds,
        ...(labs ? { labs } : {}),
      }, signal);
      reconnect.succeeded();
      if (agent_token) auth = adoptRotatedToken(options, auth, agent_token);
      if (labs) labReporter.delivered();
      for (const item of work) execute(item);
    } catch (error) {
      if (signal.aborted) break;
      if (error instanceof BrokerRequestError && (error.status === 401 || error.status === 404)) {
        if (!options.enrollToken) throw error;
        log.warn("the broker no longer accepts this agent's token; registering again", { status: error.status });
        auth = await connect(options, client, await detectInventory(options.env, options.healthGate), reconnect);
        continue;
      }
      if (isDefiniteRefusal(error)) throw error;
      await reconnect.failed("poll the broker", error, signal);
    }
  }
  if (labWorkInFlight.size > 0) {
    log.info("waiting for lab work in flight before stopping", { count: labWorkInFlight.size, graceMs: LAB_WORK_STOP_GRACE_MS });
    await Promise.race([Promise.allSettled(labWorkInFlight), sleepOn(clock, LAB_WORK_STOP_GRACE_MS)]);
  }
  await Promise.race([sender.flushed(), sleepOn(clock, FLUSH_ON_STOP_MS)]);
  senderStop.abort();
  log.info("agent stopped", { name: options.name });
}

/**
 * Registers with the enrollment token (re-attaching by name), or reuses the stored agent token.
 * Network errors and answers that may pass (5xx from a proxy while the broker restarts) are
 * retried forever; only a definite refusal (wrong token, name clash, version) ends the agent.
 */
async function connect(
  options: AgentOptions,
  client: BrokerClient,
  { runtimes, inventory }: HostInventory,
  reconnect: Reconnect,
): Promise<{ agentId: string; agentToken: string }> {
  const { log, signal } = options;
  if (!options.enrollToken) {
    const stored = loadCredentials(options.workDir, options.brokerUrl, options.name);
    if (!stored) {
      throw new Error(
        `no stored registration for "${options.name}" at ${options.brokerUrl} in ${options.workDir}; pass --token with the enrollment token`,
      );
    }
    log.info("using the stored agent registration", { agentId: stored.agent_id, name: stored.name });
    return { agentId: stored.agent_id, agentToken: stored.agent_token };
  }
  const installId = loadOrCreateInstallId(options.workDir);
  // Registering again under a registered name needs the host's current credential besides the enrollment token.
  const current = loadCredentials(options.workDir, options.brokerUrl, options.name);
  for (;;) {
    try {
      const registered = await client.register(options.enrollToken, {
        name: options.name,
        version: VERSION,
        protocol_version: PROTOCOL_VERSION,
        labels: options.labels,
        runtimes,
        capacity: options.capacity,
        inventory,
        install_id: installId,
        ...(current ? { current_agent_token: current.agent_token } : {}),
      });
      reconnect.succeeded();
      saveCredentials(options.workDir, {
        broker: options.brokerUrl,
        name: options.name,
        agent_id: registered.agent_id,
        agent_token: registered.agent_token,
      });
      log.info("agent registered", {
        agentId: registered.agent_id,
        name: options.name,
        reattached: registered.reattached,
        runtimes: runtimes.map((runtime) => runtime.name),
      });
      return { agentId: registered.agent_id, agentToken: registered.agent_token };
    } catch (error) {
      if (signal.aborted || isDefiniteRefusal(error) || !(error instanceof BrokerRequestError || error instanceof BrokerUnreachableError)) {
        throw error;
      }
      await reconnect.failed("register with the broker", error, signal);
      signal.throwIfAborted();
    }
  }
}

/**
 * The broker rotated this host's token (a session on it ended): saved first, so a restart keeps
 * it, then used for every request; the broker retires the old one when it sees the new one.
 */
function adoptRotatedToken(
  options: AgentOptions,
  auth: { agentId: string; agentToken: string },
  agentToken: string,
): { agentId: string; agentToken: string } {
  saveCredentials(options.workDir, { broker: options.brokerUrl, name: options.name, agent_id: auth.agentId, agent_token: agentToken });
  options.log.info("agent token rotated", { agentId: auth.agentId });
  return { agentId: auth.agentId, agentToken };
}
