import { expect, test } from "bun:test";
import { commandArgv, splitWords } from "../../../src/topology/shell-words.ts";

test("exec entries split like google/shlex", () => {
  expect(splitWords(`ip addr add 10.0.0.1/24 dev eth1`).words).toEqual(["ip", "addr", "add", "10.0.0.1/24", "dev", "eth1"]);
  expect(splitWords(`ash -c 'ip link set eth1 up && echo "done"'`).words).toEqual(["ash", "-c", 'ip link set eth1 up && echo "done"']);
  expect(splitWords(`echo "a \\"quoted\\" word" x\\ y`).words).toEqual(["echo", 'a "quoted" word', "x y"]);
  expect(splitWords(`echo one # a comment\necho#two`).words).toEqual(["echo", "one", "echo#two"]);
  expect(splitWords(`  ''  `).words).toEqual([""]);
});

test("shell syntax outside quotes runs through sh -c; quoted it stays an argument", () => {
  expect(commandArgv(`echo $HOME > /tmp/x`)).toEqual({ argv: ["sh", "-c", "echo $HOME > /tmp/x"], viaShell: true });
  expect(commandArgv(`ip route | grep default`).viaShell).toBe(true);
  expect(commandArgv(`sh -c "echo a; echo b"`)).toEqual({ argv: ["sh", "-c", "echo a; echo b"], viaShell: false });
});

test("entries shlex cannot split are named", () => {
  expect(() => splitWords(`echo 'open`)).toThrow("has an unterminated single quote");
  expect(() => splitWords(`echo "open`)).toThrow("has an unterminated double quote");
  expect(() => splitWords(`echo end\\`)).toThrow("has a backslash at its end");
});
