import { stringify } from "yaml";
import { isData } from "./netlab-data.ts";
import { print } from "./netlab-log.ts";

/** How netlab prints data: JSON with sorted keys (Box.to_json), YAML, Python `str()` for scalars, rich tables. */

export function printData(value: unknown, format: string): void {
  if (!isData(value) && !Array.isArray(value)) {
    print(pythonStr(value));
    return;
  }
  const sorted = sortKeys(value);
  if (format === "json") print(JSON.stringify(sorted, null, 2));
  else process.stdout.write(stringify(sorted));
}

/** A rich table, as netlab prints node lists (and `inspect --node a,b` whatever the format). */
export function printTable(heading: string[], rows: string[][]): void {
  const widths = heading.map((title, column) =>
    Math.max(title.length, ...rows.flatMap((row) => (row[column] ?? "").split("\n").map((line) => line.length)))
  );
  const rule = (left: string, fill: string, middle: string, right: string) =>
    `${left}${widths.map((width) => fill.repeat(width + 2)).join(middle)}${right}`;
  const line = (cells: string[], bar: string) =>
    `${bar}${cells.map((cell, column) => ` ${cell.padEnd(widths[column]!)} `).join(bar)}${bar}`;
  const output = [rule("┏", "━", "┳", "┓"), line(heading, "┃"), rule("┡", "━", "╇", "┩")];
  rows.forEach((row, index) => {
    const height = Math.max(...row.map((cell) => cell.split("\n").length));
    for (let part = 0; part < height; part++) output.push(line(row.map((cell) => cell.split("\n")[part] ?? ""), "│"));
    output.push(index === rows.length - 1 ? rule("└", "─", "┴", "┘") : rule("├", "─", "┼", "┤"));
  });
  print(output.join("\n"));
}

export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isData(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys(value[key])]),
  );
}

function pythonStr(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  return String(value);
}
