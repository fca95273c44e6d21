import type { Context } from "hono";
import { routePath } from "hono/route";
import type { Api } from "../api.ts";

/**
 * A route that takes uploads (topologies with extra files, host files, agents' output and
 * downloads) says so in its definition with this OpenAPI extension; every other body gets the
 * ordinary limit. The extension shows in the OpenAPI document, so clients see the limit class too.
 */
export const UPLOAD_BODY = { "x-body-limit": "upload" } as const;

export interface BodySizeLimits {
  /** Largest JSON or form body on ordinary routes. */
  maxBodyBytes: number;
  /** Largest body on routes marked with UPLOAD_BODY. */
  maxUploadBytes: number;
}

/**
 * The body limit of the route a request matched, from the route table: read once, on the first
 * request, when every route is registered.
 */
export function routeBodyLimits(api: Api, limits: BodySizeLimits): (c: Context) => number {
  let uploadRoutes: Set<string> | null = null;
  return (c) => {
    uploadRoutes ??= new Set(
      api.openAPIRegistry.definitions.flatMap((definition) =>
        definition.type === "route" && (definition.route as Record<string, unknown>)["x-body-limit"] === "upload"
          ? [routeKey(definition.route.method, definition.route.path.replace(/\{([^}]+)\}/g, ":$1"))]
          : []
      ),
    );
    return uploadRoutes.has(routeKey(c.req.method, routePath(c, -1))) ? limits.maxUploadBytes : limits.maxBodyBytes;
  };
}

const routeKey = (method: string, path: string) => `${method.toUpperCase()} ${path}`;
