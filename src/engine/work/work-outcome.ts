import { parseWorkResult, type WorkResult } from "../../protocol/work-contract.ts";
import type { WorkKind } from "../../protocol/work-kinds.ts";
import type { Change, EngineContext } from "../context.ts";
import type { WorkItem, WorkOutcome } from "./work-item.ts";

/** The outcome with its result read by its kind's schema; a result that does not fit reads as a failure naming the field. */
export type ReadOutcome<K extends WorkKind> = { ok: true; result: WorkResult<K> } | { ok: false; error: string | null };

export function readOutcome<K extends WorkKind>(kind: K, outcome: WorkOutcome): ReadOutcome<K> {
  if (!outcome.ok) return { ok: false, error: outcome.error };
  const result = parseWorkResult(kind, outcome.result);
  return result.ok
    ? { ok: true, result: result.value }
    : { ok: false, error: `the agent reported a result the broker cannot read: ${result.error}` };
}

/** What the broker does when an agent finishes one kind of work. */
export type WorkHandler<K extends WorkKind> = (ctx: EngineContext, change: Change, item: WorkItem, outcome: ReadOutcome<K>) => void;
