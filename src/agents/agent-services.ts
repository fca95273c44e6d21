import type { RuntimeName } from "../protocol/runtimes.ts";
import type { HostHealthGate } from "../hosts/health/host-health-gate.ts";
import type { JobRegistry } from "../hosts/jobs/job-registry.ts";
import type { LabRuntime } from "../hosts/lab-runtime.ts";

/** What executors share on one agent: the lab runtimes this host offers and a way to fetch lab files. */
export interface AgentServices {
  runtimes: Partial<Record<RuntimeName, LabRuntime>>;
  fetchLabFiles(labId: string): Promise<{ path: string; content: Uint8Array }[]>;
  /** Jobs running on this host, by job id (a redelivered job is never started twice). */
  jobs: JobRegistry;
  /** The health gate: the idle host's baseline and the check after each session. */
  health: HostHealthGate;
  /** Runs lab operations (deploy, destroy) one at a time on this host, in arrival order. */
  serializeLabOperation<T>(operation: () => Promise<T>): Promise<T>;
}
