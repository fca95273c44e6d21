import { OpenAPIHono } from "@hono/zod-openapi";
import { validationErrorResponse } from "./problem.ts";

/** Variables every handler can read from the context. */
export interface ApiEnv {
  Variables: { requestId: string };
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
