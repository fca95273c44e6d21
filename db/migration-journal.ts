import { z } from "zod";

/** The part of drizzle-kit's `meta/_journal.json` that migrations are applied from. */
export const migrationJournalSchema = z.object({
  entries: z.array(z.object({ idx: z.number(), when: z.number(), tag: z.string(), breakpoints: z.boolean() })),
});

export interface EmbeddedMigration {
  tag: string;
  /** drizzle-kit's creation time in ms; also the order key drizzle's migrator records. */
  when: number;
  sql: string;
}
