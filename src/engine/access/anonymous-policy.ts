/** What a client without credentials may do: nothing (default), read like a viewer, or act like a user. */
export const ANONYMOUS_POLICIES = ["none", "read", "user"] as const;
export type AnonymousPolicy = (typeof ANONYMOUS_POLICIES)[number];
