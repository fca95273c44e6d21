import type { Orm } from "../../db/connect.ts";
import { HostChangeStore } from "./devices/host-change-store.ts";
import { HostStore } from "./hosts/host-store.ts";
import { JobStore } from "./jobs/job-store.ts";
import { LabStore } from "./labs/lab-store.ts";
import { SessionStore } from "./sessions/session-store.ts";
import { WorkStore } from "./work/work-store.ts";

/**
 * The broker's live working set, one store per aggregate: hosts, live sessions (with the waiting
 * queue and the reservations), open work, unfinished jobs, live labs and unrestored device changes.
 * Each store owns its memory and the statements that record it. The set is rebuilt from the
 * database at start (and after a failed commit), so the database stays the source of truth.
 */
export class BrokerState {
  constructor(
    readonly hosts: HostStore,
    readonly sessions: SessionStore,
    readonly work: WorkStore,
    readonly jobs: JobStore,
    readonly labs: LabStore,
    readonly hostChanges: HostChangeStore,
  ) {}

  /** Loads every store; last-seen times are lifted to `now` (see the hosts and sessions stores). */
  static async load(orm: Orm, now: number): Promise<BrokerState> {
    const hosts = await HostStore.load(orm, now);
    const work = await WorkStore.load(orm);
    return new BrokerState(
      hosts,
      await SessionStore.load(orm, hosts, now),
      work,
      await JobStore.load(orm, work),
      await LabStore.load(orm),
      await HostChangeStore.load(orm),
    );
  }
}
