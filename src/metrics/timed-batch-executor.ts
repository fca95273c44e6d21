import type { BatchExecutor } from "../../db/batch-executor.ts";
import type { BrokerMetrics } from "./broker-metrics.ts";

/** The broker's write connection, with each group commit's latency and failures counted. */
export function timedBatchExecutor(writer: BatchExecutor, metrics: BrokerMetrics): BatchExecutor {
  return {
    async run(statements) {
      const stop = metrics.commitSeconds.startTimer();
      try {
        await writer.run(statements);
      } catch (error) {
        metrics.commitFailures.inc();
        throw error;
      } finally {
        stop();
      }
    },
    reclaimSpace: (pages) => writer.reclaimSpace(pages),
    close: () => writer.close(),
  };
}
