import { readdirSync, readFileSync } from "node:fs";

export const isRoot = process.getuid?.() === 0;

/** Live (not zombie) processes whose process group is `groupId`, read from /proc. */
export function liveGroupMembers(groupId: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // exited while we looked
    }
    // Fields after the parenthesised command name: state ppid pgrp …
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(pgrp) === groupId && state !== "Z" && state !== "X") members.push(Number(entry));
  }
  return members;
}

/** Live processes whose environment holds `NAME=value` (a per-test marker such as a temp folder), with their argv, read from /proc. */
export function processesWithEnvironment(name: string, value: string): { pid: number; argv: string[] }[] {
  const wanted = `${name}=${value}`;
  const found: { pid: number; argv: string[] }[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const state = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0];
      if (state === "Z" || state === "X") continue;
      if (!readFileSync(`/proc/${entry}/environ`, "latin1").split("\0").includes(wanted)) continue;
      found.push({ pid: Number(entry), argv: readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").filter(Boolean) });
    } catch {
      continue; // exited while we looked
    }
  }
  return found;
}
