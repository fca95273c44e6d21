import { posix } from "node:path";
// From @hono/zod-openapi: schemas made here are used in route definitions too, and need its .openapi().
import { z } from "@hono/zod-openapi";

/**
 * Text as clients may send it to the broker or an agent: no NUL (it ends strings in the kernel,
 * C tools and SQLite's text functions) and well-formed Unicode (a lone surrogate cannot be encoded
 * as UTF-8, so it would be stored as something else than what was sent).
 */
export function safeText(what: string) {
  return z
    .string()
    .refine((text) => !text.includes("\0"), `${what} must not contain NUL bytes`)
    // In a u-mode pattern a surrogate pair is one code point: only lone surrogates match.
    .refine((text) => !/\p{Cs}/u.test(text), `${what} must be valid Unicode (no lone surrogates)`);
}

/** Standard base64 (RFC 4648 §4) with its padding; whitespace and other alphabets are refused, not skipped. */
export const base64Schema = z.string().regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, "must be standard base64");

/** Network namespace names as `ip netns` accepts them, minus anything that could act as a path or an option. */
export const NAMESPACE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;

export const namespaceNameSchema = z
  .string()
  .regex(NAMESPACE_NAME, 'must be a namespace name: letters, digits, "_", "." and "-" (at most 64), not starting with "." or "-"')
  .refine((name) => name !== "." && name !== "..", 'must not be "." or ".."');

/**
 * Linux device names: 1-15 bytes, no whitespace, "/" or ":" (the kernel's rule); we also refuse a
 * leading "-" so a name can never read as an option to ip or ethtool, and anything non-ASCII.
 */
export const DEVICE_NAME = /^(?!-)(?!\.\.?$)[!-.0-9;-~]{1,15}$/;

export const deviceNameSchema = z.string().regex(DEVICE_NAME, 'must be 1-15 printable ASCII characters without "/", ":" or a leading "-"');

/** Lab names become instance names (the name, the deploy time and maybe a counter), folder names and tool arguments: one safe path segment. */
export const LAB_NAME = /^[a-zA-Z0-9][a-zA-Z0-9-._]{0,63}$/;
export const LAB_NAME_RULE = '1-64 letters, digits, "-", "." or "_", starting with a letter or digit';

/**
 * A sysctl key: dotted names such as net.ipv4.ip_forward, or slashes when a name holds a dot
 * (interface names bring ".", "-", "@" and "+" with them). No segment starts with ".", so no key
 * can leave /proc/sys.
 */
export const SYSCTL_KEY =
  /^(?:[A-Za-z0-9_][A-Za-z0-9_@+-]*(?:\.[A-Za-z0-9_][A-Za-z0-9_@+-]*)+|[A-Za-z0-9_][A-Za-z0-9_.@+-]*(?:\/[A-Za-z0-9_][A-Za-z0-9_.@+-]*)+)$/;

export const sysctlKeySchema = z.string().max(512).regex(
  SYSCTL_KEY,
  "must be a sysctl key such as net.ipv4.ip_forward (slashes when a name holds a dot)",
);

export const MAX_SYSCTL_VALUE_LENGTH = 4096;

/** One line without NUL; a trailing newline is allowed (it is written anyway). */
export const sysctlValueSchema = z
  .string()
  .max(MAX_SYSCTL_VALUE_LENGTH)
  .refine((value) => !/[\0\n]/.test(value.replace(/\n$/, "")), "must be one line without NUL bytes");

/** An absolute, normalised path on a host, as the agent's file operations require. */
export const hostPathSchema = safeText("path")
  .min(1)
  .max(4096)
  .refine((path) => path.startsWith("/"), "must be an absolute path")
  .refine(
    (path) => !path.split("/").includes("..") && path === posix.normalize(path) && (path === "/" || !path.endsWith("/")),
    'must be normalised, without ".." or a trailing "/"',
  );
