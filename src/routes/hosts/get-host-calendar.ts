import { createRoute, z } from "@hono/zod-openapi";
import { findHost } from "../../engine/hosts/update-host.ts";
import { hostCalendarWindow } from "../../engine/time/calendar-window.ts";
import type { Api } from "../api.ts";
import { isoTime, IsoTimeSchema } from "../iso-time.ts";
import { problemResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import { ClientInfoSchema } from "../sessions/session-schemas.ts";
import { HostIdParamSchema } from "./host-schemas.ts";

export const HostCalendarSchema = z
  .object({
    host: z.string(),
    entries: z.array(
      z.object({
        session_id: z.string(),
        kind: z.enum(["hold", "booking"]),
        from: IsoTimeSchema,
        to: IsoTimeSchema.nullable().openapi({ description: "null: held until released" }),
        ended: z.boolean().openapi({ description: "A hold that is over: `to` is when it ended" }),
        client: ClientInfoSchema,
      }),
    ),
  })
  .openapi("HostCalendar");

const getHostCalendar = createRoute({
  method: "get",
  path: "/v1/hosts/{id}/calendar",
  tags: ["time"],
  summary: "A host's holds (ended ones in the window, current ones) and bookings (reservations) over a window",
  request: {
    params: HostIdParamSchema,
    query: z.object({
      from: z.iso.datetime({ offset: true }).optional().openapi({
        description: "Default now; a time in the past also lists the holds that ended since",
      }),
      to: z.iso.datetime({ offset: true }).optional().openapi({ description: "Default 7 days after from" }),
    }),
  },
  responses: {
    200: {
      description: "Entries in start order",
      content: {
        "application/json": {
          schema: HostCalendarSchema,
        },
      },
    },
    ...problemResponses(400, 404),
  },
});

export function registerGetHostCalendar(api: Api, { engine }: RouteDeps): void {
  api.openapi(getHostCalendar, async (c) => {
    const host = findHost(engine, c.req.valid("param").id);
    const query = c.req.valid("query");
    const from = query.from ? Date.parse(query.from) : engine.clock.now();
    const to = query.to ? Date.parse(query.to) : from + 7 * 24 * 3_600_000;
    const entries = (await hostCalendarWindow(engine, host, from, to)).map((entry) => ({
      session_id: entry.sessionId,
      kind: entry.kind,
      from: isoTime(entry.from)!,
      to: Number.isFinite(entry.to) ? isoTime(entry.to) : null,
      ended: entry.ended,
      client: entry.client,
    }));
    return c.json({ host: host.name, entries }, 200);
  });
}
