import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runChecked } from "../../src/hosts/command-runner.ts";
import { readFileBounded, resolveInside, safeRelativePath, writeFileSafely } from "../../src/hosts/files.ts";
import { expectRefusal } from "../support/expect-refusal.ts";

let base = "";
beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), "labbroker-files-"));
});
afterEach(() => {
  rmSync(base, { recursive: true, force: true });
});

const everyByte = Uint8Array.from({ length: 256 * 4 }, (_, index) => index % 256);

describe("writing and reading files", () => {
  test("binary content round-trips byte for byte, into folders created on the way", async () => {
    const path = join(base, "new/deep/blob.bin");
    expect(await writeFileSafely(path, everyByte, { maxBytes: 4096 })).toEqual({ path, size: everyByte.length });
    expect(new Uint8Array(readFileSync(path))).toEqual(everyByte);
    expect(await readFileBounded(path, { maxBytes: 4096 })).toEqual(everyByte);
  });

  test("a write replaces the file whole and leaves no temporary file behind", async () => {
    const path = join(base, "config.txt");
    await writeFileSafely(path, new TextEncoder().encode("old"), { maxBytes: 100 });
    await writeFileSafely(path, new TextEncoder().encode("new content"), { maxBytes: 100 });
    expect(readFileSync(path, "utf8")).toBe("new content");
    expect(readdirSync(base)).toEqual(["config.txt"]);
  });

  test("oversize content is refused, for writes before anything is written", async () => {
    const path = join(base, "big.bin");
    await expectRefusal(
      writeFileSafely(path, everyByte, { maxBytes: 1000 }),
      "too-large",
      `File "${path}" is larger than the limit of 1000 bytes (1024 bytes or more)`,
    );
    expect(readdirSync(base)).toEqual([]);
    writeFileSync(path, everyByte);
    await expectRefusal(
      readFileBounded(path, { maxBytes: 1000 }),
      "too-large",
      `File "${path}" is larger than the limit of 1000 bytes (1024 bytes or more)`,
    );
  });

  test("relative, unnormalised, traversing and NUL paths are refused", async () => {
    const bytes = new Uint8Array([1]);
    for (
      const [path, why] of [
        ["relative/file", "it must be absolute"],
        [`${base}/../etc/passwd`, 'it must not contain ".."'],
        [`${base}//file`, `it is not normalised (write "${base}/file")`],
        [`${base}/./file`, `it is not normalised (write "${base}/file")`],
        [`${base}/folder/`, `it is not normalised (write "${base}/folder")`],
        [`${base}/fi\0le`, "it contains a NUL byte"],
      ] as const
    ) {
      const shown = path.replaceAll("\0", "\\0");
      await expectRefusal(writeFileSafely(path, bytes, { maxBytes: 10 }), "invalid", `Invalid path "${shown}": ${why}`);
      await expectRefusal(readFileBounded(path, { maxBytes: 10 }), "invalid", `Invalid path "${shown}": ${why}`);
    }
    expect(readdirSync(base)).toEqual([]);
  });

  test("a symbolic link that leads out of the root folder is refused, for writes and reads", async () => {
    const outside = mkdtempSync(join(tmpdir(), "labbroker-outside-"));
    try {
      writeFileSync(join(outside, "secret"), "secret");
      symlinkSync(outside, join(base, "escape"));
      const message = (path: string) =>
        `Cannot use "${path}": it leads out of "${base}" (through "..", an absolute path or a symbolic link)`;
      await expectRefusal(
        writeFileSafely(join(base, "escape/planted"), new Uint8Array([1]), { maxBytes: 10, root: base }),
        "invalid",
        message(join(base, "escape/planted")),
      );
      await expectRefusal(
        writeFileSafely(join(base, "escape/new/planted"), new Uint8Array([1]), { maxBytes: 10, root: base }),
        "invalid",
        message(join(base, "escape/new/planted")),
      );
      await expectRefusal(
        readFileBounded(join(base, "escape/secret"), { maxBytes: 10, root: base }),
        "invalid",
        message(join(base, "escape/secret")),
      );
      await expectRefusal(
        writeFileSafely("/etc/labbroker-never", new Uint8Array([1]), { maxBytes: 10, root: base }),
        "invalid",
        message("/etc/labbroker-never"),
      );
      expect(readdirSync(outside)).toEqual(["secret"]);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  test("links that stay inside the root are followed", async () => {
    mkdirSync(join(base, "real"));
    symlinkSync(join(base, "real"), join(base, "alias"));
    await writeFileSafely(join(base, "alias/file"), new Uint8Array([7]), { maxBytes: 10, root: base });
    expect(readFileSync(join(base, "real/file"))).toEqual(Buffer.from([7]));
  });

  test("symbolic links, folders and special files are never written or read as files", async () => {
    writeFileSync(join(base, "target"), "keep");
    symlinkSync(join(base, "target"), join(base, "link"));
    mkdirSync(join(base, "folder"));
    await runChecked(["mkfifo", join(base, "fifo")], { timeoutMs: 5_000 });
    const one = new Uint8Array([1]);
    await expectRefusal(
      writeFileSafely(join(base, "link"), one, { maxBytes: 10 }),
      "invalid",
      `Cannot write "${join(base, "link")}": it is a symbolic link`,
    );
    await expectRefusal(
      writeFileSafely(join(base, "folder"), one, { maxBytes: 10 }),
      "invalid",
      `Cannot write "${join(base, "folder")}": it is not a regular file`,
    );
    await expectRefusal(
      writeFileSafely(join(base, "fifo"), one, { maxBytes: 10 }),
      "invalid",
      `Cannot write "${join(base, "fifo")}": it is not a regular file`,
    );
    await expectRefusal(
      writeFileSafely(join(base, "target/inside"), one, { maxBytes: 10 }),
      "invalid",
      `Cannot write "${join(base, "target/inside")}": part of its folder is a file`,
    );
    await expectRefusal(
      writeFileSafely(join(base, "target/deeper/inside"), one, { maxBytes: 10 }),
      "invalid",
      `Cannot write "${join(base, "target/deeper/inside")}": part of its folder is a file`,
    );
    await expectRefusal(
      readFileBounded(join(base, "fifo"), { maxBytes: 10 }),
      "invalid",
      `Cannot read "${join(base, "fifo")}": it is not a regular file`,
    );
    await expectRefusal(readFileBounded("/dev/zero", { maxBytes: 10 }), "invalid", 'Cannot read "/dev/zero": it is not a regular file');
    await expectRefusal(
      readFileBounded(join(base, "missing"), { maxBytes: 10 }),
      "not-found",
      `Cannot find file "${join(base, "missing")}"`,
    );
    expect(readFileSync(join(base, "target"), "utf8")).toBe("keep");
  });
});

describe("upload names inside a base folder", () => {
  test("relative names with sub-folders are kept, '.' segments dropped", () => {
    expect(safeRelativePath("startup.cfg")).toBe("startup.cfg");
    expect(safeRelativePath("configs/r1/startup.cfg")).toBe("configs/r1/startup.cfg");
    expect(safeRelativePath("./configs/./r1.cfg")).toBe("configs/r1.cfg");
    expect(resolveInside("/var/lib/labbroker/lab-1", "configs/r1.cfg")).toBe("/var/lib/labbroker/lab-1/configs/r1.cfg");
  });

  test("escaping and malformed names are refused, saying why", () => {
    const refusals: [string, string][] = [
      ["../etc/passwd", 'it must not contain ".."'],
      ["configs/../../x", 'it must not contain ".."'],
      ["/etc/passwd", "it must be relative to the lab folder"],
      ["configs\\r1.cfg", 'use "/" between folders, not "\\"'],
      ["configs//r1.cfg", "it has an empty folder name"],
      ["configs/", "it has an empty folder name"],
      ["", "it has an empty folder name"],
      [".", "it names no file"],
      ["a\0b", "it contains a NUL byte"],
    ];
    for (const [name, why] of refusals) {
      expect(() => safeRelativePath(name)).toThrow(`Invalid file name "${name.replaceAll("\0", "\\0")}": ${why}`);
    }
    expect(() => resolveInside("relative/base", "x")).toThrow('Invalid path "relative/base": it must be absolute');
  });
});
