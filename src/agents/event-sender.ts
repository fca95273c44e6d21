import { type Clock, sleepOn } from "../clock.ts";
import type { Logger } from "../log.ts";
import type { AgentEvent } from "../protocol/agent-schemas.ts";
import { type BrokerClient, BrokerRequestError } from "./broker-client.ts";

export type UnsequencedEvent = AgentEvent extends infer E ? (E extends AgentEvent ? Omit<E, "seq"> : never) : never;

const BATCH = 500;
/** A batch stays below this many bytes of JSON (one bigger event goes alone): the broker bounds request bodies. */
const BATCH_BYTES = 1024 * 1024;
const MAX_BACKOFF_MS = 10_000;

/**
 * Sends the agent's events in order, numbering them per work item, in batches, retrying while the
 * broker is unreachable. When the broker says a work item expects another seq (after an agent
 * restart), the pending events of that item are renumbered from there.
 */
export class EventSender {
  #queue: AgentEvent[] = [];
  #nextSeq = new Map<string, number>();
  #draining: Promise<void> | null = null;
  /** After the broker refused a batch as too large: send one event per request until one gets through. */
  #oneAtATime = false;
  #idle: (() => void)[] = [];

  constructor(
    private readonly client: BrokerClient,
    private readonly auth: () => { agentId: string; agentToken: string },
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly stop: AbortSignal,
    private readonly onDelivered: (event: AgentEvent) => void,
  ) {}

  /** Continue numbering a work item's events at `seq` (from the agent's journal). */
  resumeAt(workId: string, seq: number): void {
    this.#nextSeq.set(workId, Math.max(seq, this.#nextSeq.get(workId) ?? 1));
  }

  nextSeqOf(workId: string): number {
    return this.#nextSeq.get(workId) ?? 1;
  }

  send(event: UnsequencedEvent): AgentEvent {
    const seq = this.nextSeqOf(event.work_id);
    this.#nextSeq.set(event.work_id, seq + 1);
    return this.resend({ ...event, seq } as AgentEvent);
  }

  /** Sends an event under the seq it had before (an outcome the broker may not have received). */
  resend(event: AgentEvent): AgentEvent {
    this.#queue.push(event);
    this.#draining ??= this.#drain();
    return event;
  }

  /** Resolves when everything sent so far was acknowledged (or dropped as unknown to the broker). */
  flushed(): Promise<void> {
    if (!this.#draining) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  async #drain(): Promise<void> {
    let backoff = 250;
    while (this.#queue.length > 0 && !this.stop.aborted) {
      const batch = this.#nextBatch();
      try {
        const { agentId, agentToken } = this.auth();
        await this.client.sendEvents(agentId, agentToken, { events: batch });
        this.#queue.splice(0, batch.length);
        for (const event of batch) this.onDelivered(event);
        backoff = 250;
        this.#oneAtATime = false;
      } catch (error) {
        if (error instanceof BrokerRequestError && error.status === 409) this.#resequence(error);
        else if (error instanceof BrokerRequestError && error.status === 404) this.#dropUnknown(error);
        else if (error instanceof BrokerRequestError && error.status === 413 && batch.length > 1) this.#oneAtATime = true;
        else if (error instanceof BrokerRequestError && error.status === 413) this.#replaceTooLarge(batch[0]!, error);
        else {
          this.log.warn("cannot send events yet; retrying", { error, pending: this.#queue.length, retryInMs: backoff });
          await sleepOn(this.clock, backoff, this.stop);
          backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        }
      }
    }
    this.#draining = null;
    for (const wake of this.#idle.splice(0)) wake();
  }

  /** The events at the head of the queue for one request: at most BATCH, below BATCH_BYTES, at least one. */
  #nextBatch(): AgentEvent[] {
    let bytes = 0;
    let count = 0;
    for (const event of this.#queue.slice(0, this.#oneAtATime ? 1 : BATCH)) {
      bytes += Buffer.byteLength(JSON.stringify(event));
      if (count > 0 && bytes > BATCH_BYTES) break;
      count++;
    }
    return this.#queue.slice(0, count);
  }

  /**
   * One event larger than the broker accepts would hold up every event behind it forever, so it is
   * replaced under the same seq by one saying so: a result by a failure, an output chunk by a note.
   */
  #replaceTooLarge(event: AgentEvent, error: BrokerRequestError): void {
    const bytes = Buffer.byteLength(JSON.stringify(event));
    this.log.warn("the broker refuses an event as too large; sending a note instead", {
      workId: event.work_id,
      seq: event.seq,
      type: event.type,
      bytes,
      detail: error.detail,
    });
    const why = `${bytes} bytes of JSON, larger than the broker accepts (${error.detail})`;
    this.#queue[0] = event.type === "output" ? { ...event, stream: "info", text: `[labbroker: an output chunk was dropped: ${why}]` } : {
      work_id: event.work_id,
      seq: event.seq,
      type: "result",
      ok: false,
      result: null,
      error: `The result of this work could not be delivered: ${why}`,
    };
  }

  #resequence(error: BrokerRequestError): void {
    const workId = String(error.problem.work_id ?? "");
    if (error.problem.finished === true) {
      this.log.warn("broker already has the result of this work; dropping its pending events", { workId });
      this.#dropWork(workId);
      return;
    }
    let seq = Number(error.problem.expected_seq);
    if (!workId || !Number.isInteger(seq)) throw error;
    this.log.warn("renumbering events the broker expects from another seq", { workId, expectedSeq: seq });
    for (const event of this.#queue) if (event.work_id === workId) event.seq = seq++;
    this.#nextSeq.set(workId, seq);
  }

  #dropUnknown(error: BrokerRequestError): void {
    const unknown = String(error.problem.work_id ?? "");
    this.log.warn("broker does not know this work; dropping its events", { workId: unknown, detail: error.detail });
    if (unknown) this.#dropWork(unknown);
    else this.#queue.shift();
  }

  /** Dropped results count as delivered: the broker has (or wants) no result from us for that work. */
  #dropWork(workId: string): void {
    const dropped = this.#queue.filter((event) => event.work_id === workId);
    this.#queue = this.#queue.filter((event) => event.work_id !== workId);
    for (const event of dropped) if (event.type === "result") this.onDelivered(event);
  }
}
