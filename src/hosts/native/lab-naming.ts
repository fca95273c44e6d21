/**
 * Names the native runtime gives to what it creates. Namespaces follow containerlab's container
 * names; everything the runtime itself names in the host namespace starts with `nl-<tag>`, a short
 * random per-lab tag, so several labs on one host never collide and their leftovers are easy to
 * tell apart.
 */

/** Instance names become file and namespace names. */
export const INSTANCE_NAME = /^[a-zA-Z0-9][a-zA-Z0-9-._]*$/;

export const LAB_TAG_LENGTH = 6;
const TAG_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
/** containerlab's locally administered OUI for generated MACs (`constants.ClabOUI`). */
const CLAB_OUI = "aa:c1:ab";

export type RandomBytes = (count: number) => Uint8Array;

/** containerlab's `nodeLongName`: `<prefix>-<lab>-<node>`; prefix "" gives `<node>`, `__lab-name` gives `<lab>-<node>`. */
export function namespaceName(prefix: string, instanceName: string, node: string): string {
  if (prefix === "") return node;
  if (prefix === "__lab-name") return `${instanceName}-${node}`;
  return `${prefix}-${instanceName}-${node}`;
}

export function newLabTag(random: RandomBytes): string {
  return Array.from(random(LAB_TAG_LENGTH), (byte) => TAG_ALPHABET[byte % TAG_ALPHABET.length]).join("");
}

/** `nl-<tag>`: the prefix of every host interface name the runtime derives for a lab. */
export function labInterfacePrefix(tag: string): string {
  return `nl-${tag}`;
}

/** The management bridge when the topology names none (9 characters). */
export function mgmtBridgeName(tag: string): string {
  return labInterfacePrefix(tag);
}

/** Host end of node number `index`'s management veth (at most 14 characters below 10,000 nodes). */
export function mgmtPortName(tag: string, index: number): string {
  return `${labInterfacePrefix(tag)}-${index}`;
}

export function randomMac(random: RandomBytes): string {
  return [CLAB_OUI, ...Array.from(random(3), (byte) => byte.toString(16).padStart(2, "0"))].join(":");
}

/**
 * The FRR pathspace (`-N`) of a node's FRR instance: unique on the host through the lab tag, and
 * only the characters FRR accepts there (no "/" or "."), short enough for FRR's socket paths.
 */
export function frrPathspace(tag: string, node: string, index: number): string {
  const readable = node.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 32);
  return `${labInterfacePrefix(tag)}-${index}-${readable}`;
}
