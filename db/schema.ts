import { sql } from "drizzle-orm";
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Broker-wide key/value settings, such as the hashed enrollment token. */
export const brokerSettings = sqliteTable("broker_settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  updatedAt: integer("updated_at").notNull().default(sql`(unixepoch('subsec') * 1000)`),
});
