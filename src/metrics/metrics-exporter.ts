import { databaseSizeBytes } from "../../db/database-size.ts";
import type { EngineContext } from "../engine/context.ts";
import type { BrokerMetrics } from "./broker-metrics.ts";
import { recordEventMetrics } from "./event-metrics.ts";
import { HostBusyTime } from "./host-busy-time.ts";
import { updateStateGauges } from "./state-metrics.ts";

/** What `GET /metrics` serves: the broker's metrics in the Prometheus text format. */
export interface MetricsExporter {
  readonly contentType: string;
  scrape(): Promise<string>;
  /** The request path's metrics (see request-metrics.ts). */
  readonly metrics: BrokerMetrics;
  stop(): void;
}

/** Starts recording the engine's events into `metrics`; gauges are read from its state at each scrape. */
export function exportMetrics(ctx: EngineContext, metrics: BrokerMetrics): MetricsExporter {
  const busy = new HostBusyTime(ctx, metrics);
  const unsubscribe = recordEventMetrics(ctx, metrics, busy);
  return {
    contentType: metrics.registry.contentType,
    metrics,
    async scrape() {
      const now = ctx.clock.now();
      updateStateGauges(ctx, metrics, now);
      busy.countActiveHolds(now);
      metrics.databaseSize.set(await databaseSizeBytes(ctx.orm));
      return metrics.registry.metrics();
    },
    stop: unsubscribe,
  };
}
