import type { EngineContext } from "../../engine/context.ts";
import { type BrokerEvent, type EventFilter, matchesFilter } from "../../engine/event-log.ts";
import { eventBytes } from "./event-encoding.ts";
import type { EventFanout, FanoutReader, FanoutRound } from "./event-fanout.ts";
import { HISTORY_PAGE, type HistoryPages } from "./history-pages.ts";
import type { ReplayBudget } from "./replay-budget.ts";
import { roomWithin } from "./sse-response.ts";
import type { SseSink } from "./sse-sink.ts";
import { sendBrokerRestarting, sendOverflow } from "./stream-endings.ts";

const KEEPALIVE_MS = 15_000;
/** Live events a stream keeps in memory while its client catches up; beyond them it reads them back from the database. */
const MAX_PENDING_EVENTS = 1_000;

export interface EventStreamOptions {
  filter: EventFilter;
  afterId: number;
  /** A derived value (like queue position) re-sent when it changes; null sends nothing. */
  snapshot?: () => { event: string; data: unknown } | null;
  /** The stream ends after this event has been sent. */
  isLast?: (event: BrokerEvent) => boolean;
  /** false: end (with an `end` event) once the stored events are sent. */
  follow?: boolean;
  /** Whether this reader sees the event without its details (`data: {}`); default: it sees all of it. */
  hidesData?: (event: BrokerEvent) => boolean;
}

/** Where a stream's events come from and what paces its catching up. */
export interface EventSources {
  fanout: EventFanout;
  history: HistoryPages;
  replays: ReplayBudget;
}

/**
 * One client's event stream: stored events after `afterId`, then live ones, nothing lost between.
 * While the client keeps up the stream is live: the fan-out writes each round of events into it
 * directly, as bytes shared with every stream that takes them alike, with no wake-up, timer or
 * await per stream. When the send buffer is full, events queue (past MAX_PENDING_EVENTS they are
 * read back from the database) and the stream's loop waits for room, within the stall bound.
 * While it catches up it writes within the replay budget, so replays leave room for requests.
 */
export class EventFollower implements FanoutReader {
  readonly #engine: EngineContext;
  readonly #sources: EventSources;
  readonly #sink: SseSink;
  readonly #options: EventStreamOptions;
  #lastSent: number;
  /** Bytes this stream may still write of its replay share; below zero it wrote past it, which its next share pays for. */
  #allowance = 0;
  /** The replay budget's turn that gave the share. */
  #shareTurn = -1;
  #live = false;
  #pending: BrokerEvent[] = [];
  /** Stored events after the last one sent are to be read back (at the start, and when the queue overflowed). */
  #readBack = true;
  #sentLast = false;
  #snapshotDirty = true;
  #lastSnapshot = "";
  #wake: () => void = () => {};
  #wroteSinceKeepalive = false;
  #cancelKeepalive: () => void = () => {};

  constructor(engine: EngineContext, sources: EventSources, sink: SseSink, options: EventStreamOptions) {
    this.#engine = engine;
    this.#sources = sources;
    this.#sink = sink;
    this.#options = options;
    this.#lastSent = options.afterId;
  }

  /** Resolves when the stream has ended: its last event sent, the client gone or cut off, or the broker stopping. */
  async run(): Promise<void> {
    const { shutdown } = this.#engine;
    const leave = this.#sources.fanout.join(this);
    const stop = () => this.#leaveLive();
    shutdown.addEventListener("abort", stop, { once: true });
    this.#sink.ended.addEventListener("abort", stop, { once: true });
    try {
      while (!this.#ending()) {
        if (!(await this.#catchUp())) return;
        if (this.#options.follow === false) return void this.#sink.send({ event: "end", data: "{}" });
        this.#sendSnapshot();
        const fellBehind = new Promise<void>((resolve) => (this.#wake = resolve));
        this.#goLive();
        await fellBehind;
      }
    } finally {
      this.#leaveLive();
      if (shutdown.aborted) sendBrokerRestarting(this.#sink);
      shutdown.removeEventListener("abort", stop);
      this.#sink.ended.removeEventListener("abort", stop);
      leave();
    }
  }

  #ending(): boolean {
    return this.#sentLast || this.#engine.shutdown.aborted || this.#sink.ended.aborted;
  }

  deliver(round: FanoutRound): void {
    if (this.#ending()) return;
    // Every event may move a snapshot (a queue position), but only matching ones are sent.
    this.#snapshotDirty = true;
    const { filter, hidesData, isLast } = this.#options;
    const events = round.events.filter((event) => event.id > this.#lastSent && matchesFilter(event, filter));
    if (!this.#live) return this.#queue(events);
    const lastAt = isLast ? events.findIndex(isLast) : -1;
    if (lastAt >= 0) events.length = lastAt + 1;
    if (events.length === 0) return this.#sendSnapshot();
    const chunk = round.chunk(events, hidesData);
    if (chunk.byteLength <= this.#sink.room) {
      this.#sink.write(chunk);
      this.#sent(events.at(-1)!);
    } else {
      // More than fits: as many as there is room for, the rest through the loop.
      let index = 0;
      for (; index < events.length && this.#sink.hasRoom; index++) this.#write(events[index]!);
      if (index < events.length) {
        this.#leaveLive();
        return this.#queue(events.slice(index));
      }
    }
    if (this.#sentLast) this.#leaveLive();
    else this.#sendSnapshot();
  }

  #queue(events: readonly BrokerEvent[]): void {
    for (const event of events) {
      if (this.#pending.length < MAX_PENDING_EVENTS) this.#pending.push(event);
      else this.#readBack = true;
    }
  }

  /** Sends what the client has not had: stored events when they are to be read back, then the queue. False when the stream ended. */
  async #catchUp(): Promise<boolean> {
    for (;;) {
      if (this.#readBack) {
        this.#readBack = false;
        this.#pending.length = 0;
        if (!(await this.#replay())) return false;
      }
      if (this.#pending.length === 0) return !this.#ending();
      if (!(await this.#sendAll(this.#pending.splice(0)))) return false;
    }
  }

  /** Stored events after the last one sent, a page at a time, until a page comes back short. */
  async #replay(): Promise<boolean> {
    for (;;) {
      const page = await this.#sources.history.read(this.#options.filter, this.#lastSent);
      if (!(await this.#sendAll(page))) return false;
      if (page.length < HISTORY_PAGE) return true;
    }
  }

  /**
   * Sends the events not sent yet, in order: at once while there is room and share left (no await
   * per event), waiting for room within the stall bound, or for the next share. False when the stream ended.
   */
  async #sendAll(events: readonly BrokerEvent[]): Promise<boolean> {
    for (const event of events) {
      if (event.id <= this.#lastSent) continue;
      if (!this.#sink.hasRoom && !(await this.#roomOrOverflow())) return false;
      if (!this.#hasShare() && !(await this.#waitForShare())) return false;
      this.#allowance -= this.#write(event);
      if (this.#sentLast) return false;
    }
    return true;
  }

  /** Whether a share of the replay budget given in this turn is left. */
  #hasShare(): boolean {
    return this.#allowance > 0 && this.#shareTurn === this.#sources.replays.turn;
  }

  /** Waits for a share of the replay budget to write in this turn. False when the stream ended meanwhile. */
  async #waitForShare(): Promise<boolean> {
    const { replays } = this.#sources;
    // What was left of a share from an earlier turn is void (the stream waited for its client or a page); a debt is not.
    if (this.#shareTurn !== replays.turn) this.#allowance = Math.min(this.#allowance, 0);
    while (this.#allowance <= 0) {
      this.#allowance += await replays.share();
      this.#shareTurn = replays.turn;
      if (this.#ending()) return false;
    }
    return true;
  }

  /** Whether room came within the stall bound; if not, the client fell behind and gets the overflow ending. */
  async #roomOrOverflow(): Promise<boolean> {
    if (await roomWithin(this.#sink, this.#engine)) return true;
    if (!this.#ending()) sendOverflow(this.#sink, this.#lastSent);
    return false;
  }

  /** Writes the event; returns its size in bytes. */
  #write(event: BrokerEvent): number {
    const bytes = eventBytes(event, this.#options.hidesData?.(event) ?? false);
    this.#sink.write(bytes);
    this.#sent(event);
    return bytes.byteLength;
  }

  /** Notes that the client was sent everything up to `event`. */
  #sent(event: BrokerEvent): void {
    this.#lastSent = event.id;
    this.#wroteSinceKeepalive = true;
    if (this.#options.isLast?.(event)) this.#sentLast = true;
  }

  #goLive(): void {
    this.#live = true;
    this.#armKeepalive();
  }

  /** Hands the stream back to its loop: it fell behind, sent its last event, or is ending. */
  #leaveLive(): void {
    this.#live = false;
    this.#cancelKeepalive();
    this.#cancelKeepalive = () => {};
    this.#wake();
  }

  /** While live, a comment after each quiet KEEPALIVE_MS keeps proxies from closing the connection. */
  #armKeepalive(): void {
    this.#wroteSinceKeepalive = false;
    this.#cancelKeepalive = this.#engine.clock.setTimer(KEEPALIVE_MS, () => {
      if (!this.#wroteSinceKeepalive) this.#sink.comment("keepalive");
      this.#armKeepalive();
    });
  }

  #sendSnapshot(): void {
    if (!this.#options.snapshot || !this.#snapshotDirty) return;
    this.#snapshotDirty = false;
    const snapshot = this.#options.snapshot?.();
    const text = snapshot ? JSON.stringify(snapshot) : "";
    if (snapshot && text !== this.#lastSnapshot) this.#sink.send({ event: snapshot.event, data: JSON.stringify(snapshot.data) });
    this.#lastSnapshot = text;
  }
}
