import type { Session } from "../model.ts";

/** Reservations not yet started, by booked host (a reservation of several roles is on each of its hosts). */
export class Bookings {
  readonly #byHost = new Map<string, Session[]>();
  readonly #reservations = new Set<string>();

  get count(): number {
    return this.#reservations.size;
  }

  on(hostId: string): readonly Session[] | undefined {
    return this.#byHost.get(hostId);
  }

  add(session: Session): void {
    this.#reservations.add(session.id);
    for (const hostId of Object.values(session.assignments ?? {})) {
      this.#byHost.set(hostId, [...(this.#byHost.get(hostId) ?? []), session]);
    }
  }

  remove(session: Session): void {
    this.#reservations.delete(session.id);
    for (const [hostId, booked] of this.#byHost) {
      const left = booked.filter((entry) => entry !== session);
      if (left.length) this.#byHost.set(hostId, left);
      else this.#byHost.delete(hostId);
    }
  }
}
