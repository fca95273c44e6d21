import { createRoute, z } from "@hono/zod-openapi";
import type { MetricsExporter } from "../../metrics/metrics-exporter.ts";
import type { Api } from "../api.ts";

const getMetrics = createRoute({
  method: "get",
  path: "/metrics",
  tags: ["system"],
  summary: "Prometheus metrics",
  description: "The broker's metrics in the Prometheus text format: queue depth per pool, sessions and hosts by state, wait and " +
    "session-duration histograms, host busy seconds, lab deploy/destroy durations and failures by runtime, jobs by outcome, " +
    "agent last-seen age, work latency, HTTP request durations by route and status, database commit latency and size.",
  responses: {
    200: { description: "Metrics, text format 0.0.4", content: { "text/plain": { schema: z.string() } } },
  },
});

export function registerGetMetrics(api: Api, exporter: MetricsExporter): void {
  api.openapi(getMetrics, async (c) => c.text(await exporter.scrape(), 200, { "content-type": exporter.contentType }));
}
