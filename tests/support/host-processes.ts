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
