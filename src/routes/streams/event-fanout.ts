import type { BrokerEvent, EventLog } from "../../engine/event-log.ts";
import type { Logger } from "../../log.ts";
import { eventBytes } from "./event-encoding.ts";
import { nextTurn } from "./next-turn.ts";

/** Streams written between two turns of the event loop: a few milliseconds of work at most. */
const STREAMS_PER_SLICE = 100;

/** A stream that takes live events from the fan-out. */
export interface FanoutReader {
  deliver(round: FanoutRound): void;
}

/** The events published since the last round, and their bytes shared by every stream that takes the same ones alike. */
export class FanoutRound {
  readonly events: readonly BrokerEvent[];
  readonly #chunks = new Map<string, Uint8Array>();

  constructor(events: readonly BrokerEvent[]) {
    this.events = events;
  }

  /** `events` (some of this round's) as one chunk; `hidesData` says which of them the reader sees without details. */
  chunk(events: readonly BrokerEvent[], hidesData?: (event: BrokerEvent) => boolean): Uint8Array {
    const hidden = events.map((event) => hidesData?.(event) ?? false);
    if (events.length === 1) return eventBytes(events[0]!, hidden[0]!);
    const key = events.map((event, index) => (hidden[index] ? -event.id : event.id)).join();
    let chunk = this.#chunks.get(key);
    if (!chunk) {
      const parts = events.map((event, index) => eventBytes(event, hidden[index]!));
      chunk = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
      let offset = 0;
      for (const part of parts) {
        chunk.set(part, offset);
        offset += part.byteLength;
      }
      this.#chunks.set(key, chunk);
    }
    return chunk;
  }
}

/**
 * Hands published events to every live stream. Events published while a round is being written
 * wait for the next one, so the busier the broker, the more events each write carries (one write
 * per stream and round, not per event). A round steps aside every STREAMS_PER_SLICE streams, so
 * requests are answered while thousands of streams are written.
 */
export class EventFanout {
  readonly #readers = new Set<FanoutReader>();
  readonly #log: Logger;
  #waiting: BrokerEvent[] = [];
  #pumping = false;

  constructor(events: EventLog, log: Logger) {
    this.#log = log;
    events.subscribe({}, (event) => this.#published(event));
  }

  /** Adds a reader for every event published from now on; returns its removal. */
  join(reader: FanoutReader): () => void {
    this.#readers.add(reader);
    return () => this.#readers.delete(reader);
  }

  #published(event: BrokerEvent): void {
    if (this.#readers.size === 0) return;
    this.#waiting.push(event);
    if (this.#pumping) return;
    this.#pumping = true;
    void this.#pump();
  }

  async #pump(): Promise<void> {
    try {
      for (;;) {
        // The publisher's request is answered first; what is published meanwhile joins this round.
        await nextTurn();
        if (this.#waiting.length === 0) return void (this.#pumping = false);
        const round = new FanoutRound(this.#waiting.splice(0));
        // Readers joining during the round read these events from the database.
        const readers = [...this.#readers];
        for (let index = 0; index < readers.length; index++) {
          if (index > 0 && index % STREAMS_PER_SLICE === 0) await nextTurn();
          readers[index]!.deliver(round);
        }
      }
    } catch (error) {
      this.#pumping = false;
      this.#log.error("event fan-out failed", { error });
    }
  }
}
