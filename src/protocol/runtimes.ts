/** The lab runtimes an agent may offer; broker and agents name them alike. */
export const RUNTIMES = ["native", "containerlab", "netlab"] as const;
export type RuntimeName = (typeof RUNTIMES)[number];
