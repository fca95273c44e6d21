import { AsyncLocalStorage } from "node:async_hooks";

const scope = new AsyncLocalStorage<string>();

/**
 * Runs `work` with `actor` as the author of every change it makes: events record it without each
 * verb passing it along. Outside any scope (housekeeping, timers) the actor is `system`.
 */
export function asActor<T>(actor: string, work: () => T): T {
  return scope.run(actor, work);
}

export function currentActor(): string {
  return scope.getStore() ?? "system";
}
