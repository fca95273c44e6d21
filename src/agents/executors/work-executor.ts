import type { OutputLine } from "../../hosts/lab-runtime.ts";
import type { WorkDelivery } from "../../protocol/agent-schemas.ts";
import type { ParsedWorkPayload, WorkResult } from "../../protocol/work-contract.ts";
import type { WorkKind } from "../../protocol/work-kinds.ts";
import type { AgentServices } from "../agent-services.ts";

export interface ExecutionContext<K extends WorkKind> {
  work: WorkDelivery;
  /** The work's payload, read by its kind's schema. */
  payload: ParsedWorkPayload<K>;
  /** Streams one line of output to the broker (deploy logs, job output). */
  output(line: OutputLine): void;
  /** Aborted when the agent stops. */
  signal: AbortSignal;
  /** The agent's environment for tools (PATH, HOME…). */
  env: Record<string, string | undefined>;
  workDir: string;
  /** True when an earlier run of this same work was cut off by an agent restart. */
  interrupted: boolean;
  services: AgentServices;
}

/** Runs one kind of work on the host; resolves with its result, throws with a message on failure. */
export type WorkExecutor<K extends WorkKind> = (context: ExecutionContext<K>) => Promise<WorkResult<K>>;
