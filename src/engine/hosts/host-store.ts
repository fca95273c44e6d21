import { eq, sql } from "drizzle-orm";
import { compileStatement } from "../../../db/compiled-statement.ts";
import type { Orm } from "../../../db/connect.ts";
import { hosts } from "../../../db/schema.ts";
import type { HealthState, Host } from "../model.ts";
import { hostFromRow, hostToRow } from "../rows.ts";
import { generateToken, hashToken } from "../tokens.ts";
import type { JournalQuery } from "../write-journal.ts";

/** What an agent tells about its host when it registers. */
export type HostRegistration = Pick<
  Host,
  | "agentLabels"
  | "runtimes"
  | "agentCapacity"
  | "agentVersion"
  | "agentTokenHash"
  | "inventory"
  | "installId"
  | "agentAddress"
  | "lastSeenAt"
>;

/** What an admin sets on a host. */
export type HostAdminFields = Pick<
  Host,
  "adminLabels" | "adminCapacity" | "draining" | "maintenance" | "adminReason" | "adminReasonBy" | "adminReasonAt" | "healthCheckEveryS"
>;

/**
 * The hosts aggregate: every registered host by id and by name, the last-seen times not yet
 * persisted, and the statements that record hosts. Each verb changes memory at once and returns the
 * statement the caller commits: nothing can change the host between the check and the change.
 */
export class HostStore {
  readonly #orm: Orm;
  readonly #byId = new Map<string, Host>();
  readonly #byName = new Map<string, Host>();
  /** Hosts whose last-seen time changed in memory only (persisted by `flushLastSeen`). */
  readonly #lastSeenDirty = new Set<Host>();
  readonly #touch: (values: { id: string; lastSeenAt: number }) => JournalQuery;
  #matchChanged: () => void = () => {};

  constructor(orm: Orm) {
    this.#orm = orm;
    this.#touch = compileStatement(
      orm.update(hosts).set({ lastSeenAt: sql.placeholder("lastSeenAt") } as never).where(eq(hosts.id, sql.placeholder("id"))),
    );
  }

  /**
   * Loads every host. Last-seen times are lifted to `now`: an agent gets a full timeout window
   * after a broker restart instead of being reaped for the broker's downtime.
   */
  static async load(orm: Orm, now: number): Promise<HostStore> {
    const store = new HostStore(orm);
    for (const row of await orm.select().from(hosts)) {
      const host = hostFromRow(row);
      host.lastSeenAt = Math.max(host.lastSeenAt, now);
      store.#add(host);
    }
    return store;
  }

  /** Calls `listener` when a host appears or its labels or runtimes change (what requirements match). */
  onMatchChanged(listener: () => void): void {
    this.#matchChanged = listener;
  }

  get(hostId: string): Host | undefined {
    return this.#byId.get(hostId);
  }

  byName(name: string): Host | undefined {
    return this.#byName.get(name);
  }

  /** Every registered host (live, not a copy: hosts are only ever added, by registration). */
  all(): IterableIterator<Host> {
    return this.#byId.values();
  }

  /** Registers a new host, or re-attaches an existing one to the agent that registered under its name. */
  enroll(host: Host, registration: HostRegistration): JournalQuery {
    Object.assign(host, registration, { online: true, pendingAgentTokenHash: null, pendingAgentToken: null, rotateAgain: false });
    if (this.#byId.get(host.id) === host) this.#matchChanged();
    else this.#add(host);
    const row = hostToRow(host);
    return this.#orm.insert(hosts).values(row).onConflictDoUpdate({ target: hosts.id, set: row });
  }

  /** The agent was heard from (coming back online, or from a new address): persisted at once. */
  heardFrom(host: Host, agentAddress: string | null, now: number): JournalQuery {
    Object.assign(host, { online: true, lastSeenAt: now, agentAddress });
    this.#lastSeenDirty.delete(host);
    return this.#orm.update(hosts).set({ online: true, lastSeenAt: now, agentAddress }).where(eq(hosts.id, host.id));
  }

  /** A sign of life of an online host's agent, kept in memory until the next `flushLastSeen`. */
  touch(host: Host, now: number): void {
    host.lastSeenAt = now;
    if (host.online) this.#lastSeenDirty.add(host);
  }

  /** A poll of the host's agent is held open: the host is alive until `pollEnded`. */
  pollStarted(host: Host): void {
    host.pollsHeld += 1;
  }

  /** A held poll ended (answered or cut off): the agent was last seen then. */
  pollEnded(host: Host, now: number): void {
    host.pollsHeld -= 1;
    this.touch(host, now);
  }

  /** The host's agent went silent for too long. */
  goOffline(host: Host): JournalQuery {
    host.online = false;
    this.#lastSeenDirty.delete(host);
    return this.#orm.update(hosts).set({ online: false, lastSeenAt: host.lastSeenAt }).where(eq(hosts.id, host.id));
  }

  /** The runtimes and inventory the agent found on its host. */
  setInventory(host: Host, runtimes: Host["runtimes"], inventory: Host["inventory"]): JournalQuery {
    Object.assign(host, { runtimes, inventory });
    this.#matchChanged();
    return this.#orm.update(hosts).set({ runtimes, inventory }).where(eq(hosts.id, host.id));
  }

  /** What an admin set: labels, capacity, drain, maintenance and why, periodic health checks. */
  administer(host: Host, fields: HostAdminFields): JournalQuery {
    const labelsChanged = fields.adminLabels !== host.adminLabels;
    Object.assign(host, fields);
    if (labelsChanged) this.#matchChanged();
    return this.#orm.update(hosts).set(fields).where(eq(hosts.id, host.id));
  }

  setHealth(
    host: Host,
    healthState: HealthState,
    healthReport: Record<string, unknown> | null,
    healthCheckedAt: number | null,
  ): JournalQuery {
    Object.assign(host, { healthState, healthReport, healthCheckedAt });
    return this.#orm.update(hosts).set({ healthState, healthReport, healthCheckedAt }).where(eq(hosts.id, host.id));
  }

  /**
   * Offers the agent a new credential, to be handed over by its next poll; the old one keeps working
   * until the agent uses the new one. Null while the agent may hold the one offered before (a job may
   * have read it, and replacing it could lock the agent out): the next rotation follows once it uses it.
   */
  rotateCredential(host: Host): JournalQuery | null {
    if (host.pendingAgentTokenHash && host.pendingAgentToken) {
      host.rotateAgain = true;
      return null;
    }
    const secret = generateToken("lba");
    Object.assign(host, { rotateAgain: false, pendingAgentToken: secret, pendingAgentTokenHash: hashToken(secret) });
    return this.#orm.update(hosts).set({ pendingAgentTokenHash: host.pendingAgentTokenHash }).where(eq(hosts.id, host.id));
  }

  /** The agent used the credential offered to it: it becomes the host's, and the old one dies. */
  adoptOfferedCredential(host: Host): JournalQuery {
    return this.#setCredential(host, host.pendingAgentTokenHash ?? "");
  }

  /** An admin releases the host's name: the next agent enrolling under it takes the host. */
  allowReenrollment(host: Host): JournalQuery {
    return this.#setCredential(host, "");
  }

  /** The statements of the last-seen times that changed in memory since the previous flush. */
  flushLastSeen(): JournalQuery[] {
    const statements = [...this.#lastSeenDirty].map((host) => this.#touch({ id: host.id, lastSeenAt: host.lastSeenAt }));
    this.#lastSeenDirty.clear();
    return statements;
  }

  #setCredential(host: Host, agentTokenHash: string): JournalQuery {
    Object.assign(host, { agentTokenHash, pendingAgentTokenHash: null, pendingAgentToken: null });
    return this.#orm.update(hosts).set({ agentTokenHash, pendingAgentTokenHash: null }).where(eq(hosts.id, host.id));
  }

  #add(host: Host): void {
    this.#byId.set(host.id, host);
    this.#byName.set(host.name, host);
    this.#matchChanged();
  }
}
