import type { InferSelectModel } from "drizzle-orm";
import type { hostChanges, jobs } from "../../../db/schema.ts";

export type JobRecord = InferSelectModel<typeof jobs>;
export type HostChange = InferSelectModel<typeof hostChanges>;
export type JobState = "queued" | "running" | "finished";
