/**
 * containerlab splits each `exec` entry like github.com/google/shlex and runs it without a shell:
 * words split at blanks, '…' literal, "…" with backslash escapes, a backslash escaping the next
 * character, `#` at the start of a word beginning a comment. An entry with shell syntax outside
 * quotes (pipes, redirections, `&&`, `;`, `$VAR`, `$(…)`) would only work in a shell, so the native
 * runtime runs such an entry as `sh -c '<entry>'` instead of passing the operators as arguments.
 */

export interface NodeCommand {
  argv: string[];
  /** True when the entry had shell syntax and runs through `sh -c`. */
  viaShell: boolean;
}

const BLANKS = new Set([" ", "\t", "\r", "\n"]);
const SHELL_SYNTAX = new Set(["|", "&", ";", "<", ">", "$", "`", "(", ")"]);

export function commandArgv(entry: string): NodeCommand {
  const { words, shellSyntax } = splitWords(entry);
  return shellSyntax ? { argv: ["sh", "-c", entry], viaShell: true } : { argv: words, viaShell: false };
}

/** Splits like google/shlex; throws (`has an unterminated single quote`) where shlex fails. */
export function splitWords(text: string): { words: string[]; shellSyntax: boolean } {
  const words: string[] = [];
  let shellSyntax = false;
  let word: string | null = null;
  let index = 0;
  const next = (what: string): string => {
    if (index >= text.length) throw new Error(`has ${what}`);
    return text[index++]!;
  };
  while (index < text.length) {
    const char = text[index++]!;
    if (BLANKS.has(char)) {
      if (word !== null) words.push(word);
      word = null;
    } else if (char === "#" && word === null) {
      while (index < text.length && text[index] !== "\n") index++;
    } else if (char === "\\") {
      word = (word ?? "") + next("a backslash at its end");
    } else if (char === "'") {
      let quoted = "";
      for (let inner = next("an unterminated single quote"); inner !== "'"; inner = next("an unterminated single quote")) quoted += inner;
      word = (word ?? "") + quoted;
    } else if (char === '"') {
      let quoted = "";
      for (let inner = next("an unterminated double quote"); inner !== '"'; inner = next("an unterminated double quote")) {
        quoted += inner === "\\" ? next("an unterminated double quote") : inner;
      }
      word = (word ?? "") + quoted;
    } else {
      if (SHELL_SYNTAX.has(char)) shellSyntax = true;
      word = (word ?? "") + char;
    }
  }
  if (word !== null) words.push(word);
  return { words, shellSyntax };
}
