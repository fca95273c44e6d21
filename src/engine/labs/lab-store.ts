import { eq, ne } from "drizzle-orm";
import type { Orm } from "../../../db/connect.ts";
import { labs } from "../../../db/schema.ts";
import { ConflictError } from "../errors.ts";
import type { JournalQuery } from "../write-journal.ts";
import { canTransition, type Lab, type LabState } from "./lab.ts";

/**
 * The labs aggregate: every lab not inactive, and the statements that record labs. Each verb
 * changes memory at once and returns the statement the caller commits.
 */
export class LabStore {
  readonly #orm: Orm;
  readonly #live = new Map<string, Lab>();
  /** Labs whose end_at has been acted on in this run. */
  readonly #endActedOn = new Set<string>();

  constructor(orm: Orm) {
    this.#orm = orm;
  }

  static async load(orm: Orm): Promise<LabStore> {
    const store = new LabStore(orm);
    for (const lab of await orm.select().from(labs).where(ne(labs.state, "inactive"))) store.#live.set(lab.id, lab);
    return store;
  }

  /** A lab that is not inactive. */
  get(labId: string): Lab | undefined {
    return this.#live.get(labId);
  }

  /** Every lab not inactive (a copy: the caller may end labs while it walks them). */
  live(): Lab[] {
    return [...this.#live.values()];
  }

  /** Labs on a host that are not inactive, newest first. */
  onHost(hostId: string): Lab[] {
    return this.live().filter((lab) => lab.hostId === hostId).sort((a, b) => b.createdAt - a.createdAt);
  }

  /** Records a new lab (scheduled or deploying). */
  create(lab: Lab): JournalQuery {
    this.#live.set(lab.id, lab);
    return this.#orm.insert(labs).values(lab);
  }

  /** Moves a lab to `to`, refusing (409) a transition the state machine does not have; an inactive lab leaves memory. */
  transition(lab: Lab, to: LabState, fields: Partial<Pick<Lab, "nodes" | "error" | "holders">>, now: number): JournalQuery {
    if (!canTransition(lab.state, to)) throw new ConflictError(`Lab "${lab.id}" cannot go from ${lab.state} to ${to}`);
    Object.assign(lab, fields, { state: to, updatedAt: now });
    if (to === "running") {
      lab.runningAt ??= lab.updatedAt;
      lab.runningNodes = lab.nodes;
    }
    if (to === "inactive") this.#live.delete(lab.id);
    return this.#orm
      .update(labs)
      .set({
        state: to,
        nodes: lab.nodes,
        error: lab.error,
        holders: lab.holders,
        updatedAt: lab.updatedAt,
        runningAt: lab.runningAt,
        runningNodes: lab.runningNodes,
        warmUntil: lab.warmUntil,
      })
      .where(eq(labs.id, lab.id));
  }

  /** Replaces the lab's holders (ref counts per session). */
  setHolders(lab: Lab, holders: string[], now: number): JournalQuery {
    lab.holders = holders;
    lab.updatedAt = now;
    return this.#orm.update(labs).set({ holders, updatedAt: now }).where(eq(labs.id, lab.id));
  }

  /** A session takes a warm lab: its one holder from now on, out of the pool, going warm again only if it asks. */
  adopt(lab: Lab, sessionId: string, keepWarm: boolean, now: number): JournalQuery {
    Object.assign(lab, { holders: [sessionId], warmUntil: null, keepWarm, updatedAt: now });
    return this.#orm.update(labs).set({ holders: lab.holders, warmUntil: null, keepWarm, updatedAt: now }).where(eq(labs.id, lab.id));
  }

  /** True the first time it is asked for a lab in this run: a destroy that fails leaves the lab failed rather than retried every tick. */
  actOnEndOnce(labId: string): boolean {
    if (this.#endActedOn.has(labId)) return false;
    this.#endActedOn.add(labId);
    return true;
  }
}
