/** Bytes of request bodies held in memory at once, across all requests; a body that does not fit is refused, not queued. */
export class BodyBudget {
  readonly maxBytes: number;
  #inUse = 0;

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
  }

  get inUse(): number {
    return this.#inUse;
  }

  /** Takes `bytes` when they fit and says whether they did. */
  take(bytes: number): boolean {
    if (this.#inUse + bytes > this.maxBytes) return false;
    this.#inUse += bytes;
    return true;
  }

  give(bytes: number): void {
    this.#inUse -= bytes;
  }
}
