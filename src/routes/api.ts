import { OpenAPIHono } from "@hono/zod-openapi";
import type { Principal } from "../engine/access/principal.ts";
import type { Host } from "../engine/model.ts";
import { validationErrorResponse } from "./problem.ts";

/** Variables every handler can read from the context. */
export interface ApiEnv {
  Variables: {
    requestId: string;
    /** Who is calling, set by the authorization middleware on every route that is not open. */
    principal: Principal;
    /** On agent routes: the host whose agent token authenticated the request. */
    agentHost: Host;
  };
}

export type Api = OpenAPIHono<ApiEnv>;

/** An OpenAPIHono whose validation failures all go through one hook. */
export function createApi(): Api {
  return new OpenAPIHono<ApiEnv>({
    defaultHook: (result, c) => {
      if (!result.success) return validationErrorResponse(c, result.target, result.error);
    },
  });
}
