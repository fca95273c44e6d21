import { sql } from "drizzle-orm";
import type { Orm } from "./connect.ts";

/** Bytes the database uses: its pages in use (free pages excluded) times the page size. */
export async function databaseSizeBytes(orm: Orm): Promise<number> {
  const row = await orm.get<{ bytes: number }>(
    sql`SELECT (page_count - freelist_count) * page_size AS bytes FROM pragma_page_count(), pragma_freelist_count(), pragma_page_size()`,
  );
  return Number(row?.bytes ?? 0);
}
