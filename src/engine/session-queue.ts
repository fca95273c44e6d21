import { byQueueOrder, type Host, isAheadOf, type Requirement, type Session } from "./model.ts";
import { byScarcityLast } from "./gang-matcher.ts";
import { hostMatches } from "./requirements.ts";

/** Waiting sessions with equal requirements, in queue order, with the hosts they could ever use. */
export interface QueuePool {
  key: string;
  requirements: Requirement[];
  sessions: Session[];
  /** Per requirement, every registered host that matches it statically, least specialised first. */
  candidates: Host[][];
  candidateIds: Set<string>;
  candidatesEpoch: number;
  overlapping: QueuePool[];
  overlapStamp: string;
}

/**
 * The waiting queue, split into pools of identical requirements. Within a pool the order is an
 * array kept sorted, so a session's position is a binary search per competing pool, never a scan
 * of the whole queue.
 */
export class SessionQueue {
  #pools = new Map<string, QueuePool>();
  #hosts: () => Iterable<Host>;
  #hostsEpoch = 0;
  #poolsVersion = 0;
  #size = 0;

  constructor(hosts: () => Iterable<Host>) {
    this.#hosts = hosts;
  }

  get size(): number {
    return this.#size;
  }

  pools(): IterableIterator<QueuePool> {
    return this.#pools.values();
  }

  pool(key: string): QueuePool | undefined {
    return this.#pools.get(key);
  }

  /** Call when a host appears or its labels, runtimes or name change. */
  hostsChanged(): void {
    this.#hostsEpoch++;
  }

  add(session: Session): void {
    let pool = this.#pools.get(session.poolKey);
    if (!pool) {
      pool = {
        key: session.poolKey,
        requirements: session.requirements,
        sessions: [],
        candidates: [],
        candidateIds: new Set(),
        candidatesEpoch: -1,
        overlapping: [],
        overlapStamp: "",
      };
      this.#pools.set(session.poolKey, pool);
      this.#poolsVersion++;
    }
    pool.sessions.splice(firstNotAhead(pool.sessions, session), 0, session);
    this.#size++;
  }

  remove(session: Session): void {
    const pool = this.#pools.get(session.poolKey);
    if (!pool) return;
    const index = firstNotAhead(pool.sessions, session);
    if (pool.sessions[index] !== session) return;
    pool.sessions.splice(index, 1);
    this.#size--;
    if (pool.sessions.length === 0) {
      this.#pools.delete(pool.key);
      this.#poolsVersion++;
    }
  }

  /** The pool's per-requirement candidate hosts, recomputed only after the host registry changed. */
  candidates(pool: QueuePool): Host[][] {
    if (pool.candidatesEpoch !== this.#hostsEpoch) {
      const hosts = [...this.#hosts()].sort(byScarcityLast);
      pool.candidates = pool.requirements.map((requirement) => hosts.filter((host) => hostMatches(host, requirement)));
      pool.candidateIds = new Set(pool.candidates.flat().map((host) => host.id));
      pool.candidatesEpoch = this.#hostsEpoch;
    }
    return pool.candidates;
  }

  /**
   * Every waiting session in the order the scheduler considers them (priority, then arrival): the
   * scheduler always tries the pool whose head is furthest ahead, so this is the whole queue merged.
   */
  inOrder(): Session[] {
    return [...this.#pools.values()].flatMap((pool) => pool.sessions).sort(byQueueOrder);
  }

  /** A waiting session's place in `inOrder()`, from 1: one binary search per pool. */
  placeOf(session: Session): number {
    let ahead = 0;
    for (const pool of this.#pools.values()) ahead += firstNotAhead(pool.sessions, session);
    return ahead + 1;
  }

  /** Sessions ahead of `session` that compete with it for at least one host. */
  countAhead(session: Session): number {
    const pool = this.#pools.get(session.poolKey);
    if (!pool) return 0;
    let ahead = 0;
    for (const other of this.#overlapping(pool)) ahead += firstNotAhead(other.sessions, session);
    return ahead;
  }

  /** Pools that share a candidate host with `pool` (a pool always competes with itself). */
  #overlapping(pool: QueuePool): QueuePool[] {
    const stamp = `${this.#hostsEpoch}:${this.#poolsVersion}`;
    if (pool.overlapStamp !== stamp) {
      this.candidates(pool);
      pool.overlapping = [...this.#pools.values()].filter((other) => {
        if (other === pool) return true;
        this.candidates(other);
        for (const id of other.candidateIds) if (pool.candidateIds.has(id)) return true;
        return false;
      });
      pool.overlapStamp = stamp;
    }
    return pool.overlapping;
  }
}

/** Index of the first session in `sorted` that is not ahead of `session` (binary search). */
function firstNotAhead(sorted: readonly Session[], session: Session): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (isAheadOf(sorted[middle]!, session)) low = middle + 1;
    else high = middle;
  }
  return low;
}
