import { createRoute, z } from "@hono/zod-openapi";
import { BadRequestError } from "../../engine/errors.ts";
import { usageSeries } from "../../engine/stats/usage-series.ts";
import type { Api } from "../api.ts";
import { isoTime, IsoTimeSchema } from "../iso-time.ts";
import { problemResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";

const MAX_WINDOW_MS = 31 * 24 * 3_600_000;
const MAX_BUCKETS = 1000;

const UsageQuerySchema = z.object({
  from: z.iso.datetime({ offset: true }).optional().openapi({ description: "Default 24 hours before to" }),
  to: z.iso.datetime({ offset: true }).optional().openapi({ description: "Default now" }),
  bucket_s: z.coerce.number().int().min(60).max(86_400).default(900).openapi({ description: "Bucket length in seconds (60 to 86400)" }),
});

export const UsageSchema = z
  .object({
    from: IsoTimeSchema,
    to: IsoTimeSchema,
    bucket_s: z.number().int(),
    times: z.array(IsoTimeSchema).openapi({ description: "Start of each bucket" }),
    hosts: z.array(
      z.object({
        name: z.string(),
        busy: z.array(z.number().nullable()).openapi({ description: "Share of the host's slots held per bucket, 0 to 1; null after now" }),
      }),
    ),
    queue_depth: z.array(z.number().nullable()).openapi({ description: "Waiting sessions, averaged per bucket; null after now" }),
    waits: z.object({
      count: z.number().int().openapi({
        description: "Sessions activated in the window after waiting in the queue (reservations excluded)",
      }),
      median_s: z.number().nullable(),
      p90_s: z.number().nullable(),
      bins: z.array(
        z.object({
          up_to_s: z.number().nullable().openapi({ description: "Upper edge; null: longer than the previous edge" }),
          count: z.number().int(),
        }),
      ),
    }),
    partial: z.boolean().openapi({ description: "The window held more sessions than are looked at; the oldest were left out" }),
  })
  .openapi("Usage");

const getUsage = createRoute({
  method: "get",
  path: "/v1/stats/usage",
  tags: ["stats"],
  summary: "Host utilisation and queue depth over time, and the distribution of wait times",
  request: { query: UsageQuerySchema },
  responses: {
    200: { description: "Series over the window", content: { "application/json": { schema: UsageSchema } } },
    ...problemResponses(400),
  },
});

export function registerGetUsage(api: Api, { engine }: RouteDeps): void {
  api.openapi(getUsage, async (c) => {
    const query = c.req.valid("query");
    const to = query.to ? Date.parse(query.to) : engine.clock.now();
    const from = query.from ? Date.parse(query.from) : to - 24 * 3_600_000;
    const bucketMs = query.bucket_s * 1000;
    if (from >= to) throw new BadRequestError("from: must be before to");
    if (to - from > MAX_WINDOW_MS) throw new BadRequestError("from: the window may be at most 31 days");
    if ((to - from) / bucketMs > MAX_BUCKETS) {
      throw new BadRequestError(`bucket_s: the window holds more than ${MAX_BUCKETS} buckets; choose longer ones`);
    }
    const usage = await usageSeries(engine, { from, to, bucketMs });
    return c.json(
      {
        from: isoTime(from)!,
        to: isoTime(to)!,
        bucket_s: query.bucket_s,
        times: usage.times.map((time) => isoTime(time)!),
        hosts: usage.hosts,
        queue_depth: usage.queueDepth,
        waits: {
          count: usage.waits.count,
          median_s: usage.waits.medianS,
          p90_s: usage.waits.p90S,
          bins: usage.waits.bins.map((bin) => ({ up_to_s: bin.upToS, count: bin.count })),
        },
        partial: usage.partial,
      },
      200,
    );
  });
}
