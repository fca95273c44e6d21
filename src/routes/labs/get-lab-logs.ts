import { createRoute } from "@hono/zod-openapi";
import { findLab } from "../../engine/labs/find-lab.ts";
import type { Api } from "../api.ts";
import { EventStreamHeadersSchema, EventStreamQuerySchema, FollowQuerySchema, resumePoint } from "../streams/event-stream.ts";
import { streamOutput } from "../streams/output-stream.ts";
import { problemResponses } from "../problem.ts";
import { eventStreamEntry } from "../streams/sse-response.ts";
import type { RouteDeps } from "../route-deps.ts";
import { LabIdParamSchema } from "./lab-schemas.ts";

const getLabLogs = createRoute({
  method: "get",
  path: "/v1/labs/{id}/logs",
  tags: ["labs"],
  summary: "Deploy and destroy output of a lab, per node, as server-sent events",
  description:
    "Each `output` event carries `{stream, node, text, seq, at, work_id}` and an id to resume from (Last-Event-ID). An `end` event closes the stream once the lab is running, failed or inactive and everything was sent.",
  request: { params: LabIdParamSchema, query: EventStreamQuerySchema.extend(FollowQuerySchema.shape), headers: EventStreamHeadersSchema },
  responses: {
    200: eventStreamEntry("Output lines"),
    ...problemResponses(400, 404, 429, 503),
  },
});

export function registerGetLabLogs(api: Api, deps: RouteDeps): void {
  const { engine } = deps;
  api.openapi(getLabLogs, async (c) => {
    const lab = await findLab(engine, c.req.valid("param").id);
    return streamOutput(c, deps, {
      scope: { labId: lab.id },
      afterId: resumePoint(c.req.valid("header")["last-event-id"], c.req.valid("query").last_event_id) ?? 0,
      isFinished: () => c.req.valid("query").follow === "false" || ["running", "failed", "inactive"].includes(lab.state),
    });
  });
}
