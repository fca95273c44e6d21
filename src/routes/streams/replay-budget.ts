import { nextTurn } from "./next-turn.ts";

/** Bytes all replays together may write in one turn of the event loop: well under a millisecond of work. */
export const REPLAY_BYTES_PER_TURN = 64 * 1024;
/** Bytes one replay may write when its turn comes: a turn serves several replays, each a fair part. */
export const REPLAY_SHARE_BYTES = 16 * 1024;

/**
 * Paces the streams that catch up on stored events (replays), which write as fast as their clients
 * read and would otherwise keep the one thread from everything else. A replay writes its share in
 * the turn it was given and queues for another; each turn of the event loop hands out at most
 * REPLAY_BYTES_PER_TURN in shares, first come first served, then steps aside so requests waiting on
 * the network are answered. Replays share the pace fairly (round robin), and a request waits behind
 * one turn of replay writes, not all of them.
 */
export class ReplayBudget {
  readonly #bytesPerTurn: number;
  readonly #shareBytes: number;
  #queue: ((share: number) => void)[] = [];
  #turning = false;
  #turn = 0;

  constructor(bytesPerTurn = REPLAY_BYTES_PER_TURN, shareBytes = REPLAY_SHARE_BYTES) {
    this.#bytesPerTurn = bytesPerTurn;
    this.#shareBytes = shareBytes;
  }

  /** Counts the turns: a share is spent in the turn it was given; one left over when the turn moved on is void. */
  get turn(): number {
    return this.#turn;
  }

  /** Resolves with the bytes the replay may write now, in a later turn, after the replays that asked before. */
  share(): Promise<number> {
    const granted = new Promise<number>((resolve) => this.#queue.push(resolve));
    if (!this.#turning) {
      this.#turning = true;
      void this.#handOut();
    }
    return granted;
  }

  async #handOut(): Promise<void> {
    while (this.#queue.length > 0) {
      await nextTurn();
      this.#turn++;
      // Replays served now ask again behind those still waiting: the queue is the round robin.
      const served = this.#queue.splice(0, Math.max(1, Math.floor(this.#bytesPerTurn / this.#shareBytes)));
      for (const resolve of served) resolve(this.#shareBytes);
    }
    this.#turning = false;
  }
}
