import { TooManyRequestsError, UnavailableError } from "../../engine/errors.ts";

export interface StreamLimits {
  /** Event streams open at once, from all clients. */
  maxStreams: number;
  /** Event streams one client may hold open at once. */
  maxStreamsPerClient: number;
}

/** How long a refused client waits before trying again: streams end when their clients move on. */
const RETRY_AFTER_S = 5;

/** Counts open streams, in total and per client; a stream over either bound is refused before it starts. */
export class StreamGate {
  readonly #limits: StreamLimits;
  readonly #perClient = new Map<string, number>();
  #open = 0;

  constructor(limits: StreamLimits) {
    this.#limits = limits;
  }

  get open(): number {
    return this.#open;
  }

  /** Counts a new stream of `client` and returns its release; throws 503 (all streams in use) or 429 (this client's). */
  enter(client: string): () => void {
    const mine = this.#perClient.get(client) ?? 0;
    if (this.#open >= this.#limits.maxStreams) {
      throw new UnavailableError(
        `The broker serves at most ${this.#limits.maxStreams} event streams at once; try again shortly`,
        RETRY_AFTER_S,
      );
    }
    if (mine >= this.#limits.maxStreamsPerClient) {
      throw new TooManyRequestsError(
        `This client already has ${mine} event streams open, the most one client may hold; close one or try again later`,
        RETRY_AFTER_S,
      );
    }
    this.#open++;
    this.#perClient.set(client, mine + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#open--;
      const left = (this.#perClient.get(client) ?? 1) - 1;
      if (left === 0) this.#perClient.delete(client);
      else this.#perClient.set(client, left);
    };
  }
}
