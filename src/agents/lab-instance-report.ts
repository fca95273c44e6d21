import type { Clock } from "../clock.ts";
import type { Logger } from "../log.ts";
import type { PollBody } from "../protocol/agent-schemas.ts";
import type { AgentServices } from "./agent-services.ts";

export type LabReport = NonNullable<PollBody["labs"]>;

/** How often the agent tells the broker which lab instances run here (and at start). */
const REPORT_INTERVAL_MS = 5 * 60_000;
/** After a runtime could not list its labs (a tool failed or hung), try again this much later. */
const RETRY_AFTER_FAILURE_MS = 30_000;

/**
 * Lists the lab instances running on this host in the background, so a slow or hung tool (whose
 * listing is bounded only by the query timeout) never holds up polling for work. A listing is
 * only reported while it is still true: when a lab operation finished after the listing started,
 * the broker may already know of a lab the listing missed (or still lists one that is gone), so
 * that listing is dropped and a new one taken.
 */
export class LabInstanceReporter {
  #dueAt = Number.NEGATIVE_INFINITY;
  #listing = false;
  #ready: { labs: LabReport; operationsSeen: number } | null = null;
  #operationsFinished = 0;

  constructor(
    private readonly list: () => Promise<LabReport | undefined>,
    private readonly clock: Clock,
  ) {}

  /** True while a listing runs: the agent then polls briefly, so a finished listing is not held back by a long poll. */
  get listing(): boolean {
    return this.#listing;
  }

  /** The report to send with the next poll, if one is ready; starts a listing when one is due. */
  next(): LabReport | undefined {
    if (this.#ready && this.#ready.operationsSeen !== this.#operationsFinished) this.#ready = null;
    if (!this.#ready && !this.#listing && this.clock.now() >= this.#dueAt) this.#start();
    return this.#ready?.labs;
  }

  /** The broker has the report: the next is due after the interval. */
  delivered(): void {
    this.#ready = null;
    this.#dueAt = this.clock.now() + REPORT_INTERVAL_MS;
  }

  /** A deploy or destroy finished on this host: a listing taken before it may be out of date. */
  labOperationFinished(): void {
    this.#operationsFinished++;
  }

  #start(): void {
    this.#listing = true;
    const operationsSeen = this.#operationsFinished;
    void this.list().then((labs) => {
      this.#listing = false;
      if (labs === undefined) this.#dueAt = this.clock.now() + RETRY_AFTER_FAILURE_MS;
      else this.#ready = { labs, operationsSeen };
    });
  }
}

/** Every lab instance the runtimes run on this host now; undefined (logged) when a runtime cannot tell. */
export async function runningLabInstances(runtimes: AgentServices["runtimes"], log: Logger): Promise<LabReport | undefined> {
  const reports = await Promise.all(
    Object.values(runtimes).map(async (runtime) => {
      try {
        return (await runtime.listRunning()).map((instance) => ({
          instance_name: instance.instanceName,
          lab_id: instance.labId,
          runtime: runtime.name,
          problem: instance.problem ?? null,
        }));
      } catch (error) {
        log.warn("cannot list running labs", { runtime: runtime.name, error: error instanceof Error ? error.message : String(error) });
        return null;
      }
    }),
  );
  // One runtime that cannot list must not make its labs look gone: then report nothing this time.
  return reports.includes(null) ? undefined : reports.flat().filter((report) => report !== null);
}
