import type { Context } from "hono";
import { sleepOn } from "../../clock.ts";
import { type OutputScope, readWorkOutput, waitForWorkOutput } from "../../engine/work/work-output.ts";
import { isoTime } from "../iso-time.ts";
import type { RouteDeps } from "../route-deps.ts";
import { roomWithin, sseResponse } from "./sse-response.ts";
import { sendBrokerRestarting, sendOverflow } from "./stream-endings.ts";

const PAGE = 200;
const KEEPALIVE_MS = 15_000;

/** The data of one `output` event. */
export interface OutputEventData {
  work_id: string;
  seq: number;
  at: string;
  stream: "stdout" | "stderr" | "info";
  node: string | null;
  text: string;
}

export interface OutputStreamOptions {
  scope: OutputScope;
  afterId: number;
  /** The stream ends once this holds and everything stored was sent. */
  isFinished: () => boolean;
}

/**
 * Output lines as server-sent events (`event: output`, `id` = the line's id for Last-Event-ID,
 * data `{stream, node, text, seq, at, work_id}`), stored lines first, then live ones.
 */
export function streamOutput(c: Context, deps: RouteDeps, options: OutputStreamOptions): Response {
  const { engine } = deps;
  return sseResponse(c, deps, async (sink) => {
    let lastId = options.afterId;
    try {
      while (!sink.ended.aborted && !engine.shutdown.aborted) {
        // Listen before reading, so output committed while we read still wakes us.
        const giveUp = new AbortController();
        const woken = waitForWorkOutput(
          engine,
          options.scope,
          sleepOn(engine.clock, KEEPALIVE_MS, giveUp.signal),
          AbortSignal.any([sink.ended, engine.shutdown, giveUp.signal]),
        );
        const finishedBefore = options.isFinished();
        const rows = await readWorkOutput(engine, options.scope, lastId, PAGE);
        for (const row of rows) {
          if (!(await roomWithin(sink, engine))) {
            giveUp.abort();
            if (!engine.shutdown.aborted) sendOverflow(sink, lastId);
            return;
          }
          lastId = row.id;
          const data: OutputEventData = {
            work_id: row.workId,
            seq: row.seq,
            at: isoTime(row.at)!,
            stream: row.stream,
            node: row.node,
            text: row.text,
          };
          sink.send({ id: String(row.id), event: "output", data: JSON.stringify(data) });
        }
        if (rows.length === PAGE) {
          giveUp.abort();
          continue;
        }
        if (finishedBefore) {
          giveUp.abort();
          sink.send({ event: "end", data: "{}" });
          return;
        }
        await woken;
        giveUp.abort();
        if (rows.length === 0 && !engine.shutdown.aborted) sink.comment("keepalive");
      }
    } finally {
      if (engine.shutdown.aborted) sendBrokerRestarting(sink);
    }
  });
}
