import { z } from "zod";
import { LOG_LEVELS } from "../log.ts";

// The kinds of values options take; each option's default is in its table entry, not here.

/** Flags count seconds, days and MiB; the layers below milliseconds and bytes. */
export const SECOND_MS = 1000;
export const DAY_MS = 86_400_000;
export const MIB = 1024 * 1024;

export const secondsSchema = z.coerce.number({ error: "must be a number of seconds" }).positive("must be more than 0 seconds");

export const boundedSecondsSchema = secondsSchema.max(31_536_000, "must be at most a year");

export const daysSchema = z.coerce.number({ error: "must be a number of days" }).positive("must be more than 0 days").max(
  36_500,
  "must be at most 100 years",
);

export const countSchema = z.coerce.number({ error: "must be a whole number" }).int("must be a whole number").min(1, "must be at least 1")
  .max(1_000_000, "must be at most 1000000");

export const portSchema = z.coerce.number({ error: "must be a port number from 0 to 65535" }).int("must be a port number from 0 to 65535")
  .min(0, "must be a port number from 0 to 65535").max(65535, "must be a port number from 0 to 65535");

export const secretSchema = z.string().min(16, "must be at least 16 characters");

export const urlSchema = z.string().url("must be a URL such as http://broker.lab:8000");

export const logLevelSchema = z.enum(LOG_LEVELS);

/** `KEY=VALUE` items of a repeatable option. */
export const keyValueListSchema = z.array(z.string().regex(/^[^=\s]+=[^=\s]*$/, "expected KEY=VALUE"));
