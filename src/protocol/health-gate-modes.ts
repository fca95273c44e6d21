/** What a host's agent checks when a session ends (see src/hosts/health/host-health-gate.ts). */
export const HEALTH_GATE_MODES = ["full", "processes", "off"] as const;
export type HealthGateMode = (typeof HEALTH_GATE_MODES)[number];
