import { WORK_KINDS } from "../../db/schema.ts";

/** The kinds of work the broker hands agents (the database column holds the same list). */
export { WORK_KINDS };
export type WorkKind = (typeof WORK_KINDS)[number];

export function isWorkKind(kind: string): kind is WorkKind {
  return (WORK_KINDS as readonly string[]).includes(kind);
}
