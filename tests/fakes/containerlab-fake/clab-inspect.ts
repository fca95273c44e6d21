import { relative } from "node:path";
import { containerStatus, type FakeContainer } from "../fake-docker/daemon.ts";
import { ClabError } from "./clab-log.ts";

/**
 * What `inspect` (and `deploy`) print: `types.ContainerDetails` records grouped by lab name and
 * sorted by lab then container name, as JSON, CSV or a table (`CL:cmd/inspect.go`).
 */

interface ContainerDetails {
  lab_name: string;
  labPath: string;
  absLabPath: string;
  name: string;
  container_id: string;
  image: string;
  kind: string;
  group?: string;
  state: string;
  status: string;
  ipv4_address: string;
  ipv6_address: string;
  owner: string;
}

const CSV_COLUMNS = [
  "lab_name",
  "labPath",
  "absLabPath",
  "name",
  "container_id",
  "image",
  "kind",
  "state",
  "status",
  "ipv4_address",
  "ipv6_address",
  "owner",
] as const;

export function printContainers(containers: FakeContainer[], format: string, allLabs: boolean): void {
  const grouped = groupByLab(containers.filter((container) => container.labels.containerlab !== undefined));
  if (format === "json") process.stdout.write(`${JSON.stringify(grouped, null, 2)}\n`);
  else if (format === "csv") printCsv(grouped);
  else if (format === "table") printTable(grouped, allLabs);
  else if (format === "yaml") {
    throw new ClabError(`output format "yaml" is not supported when --details is not used, use 'table', 'json' or 'csv'`);
  } else throw new ClabError(`output format "${format}" is not supported, use 'table', 'json' or 'csv'`);
}

function groupByLab(containers: FakeContainer[]): Record<string, ContainerDetails[]> {
  const grouped: Record<string, ContainerDetails[]> = {};
  // Go's sort.Slice on strings: byte order, not locale order.
  const key = (container: FakeContainer) => `${container.labels.containerlab}\u0000${container.name}`;
  const sorted = [...containers].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  for (const container of sorted) (grouped[container.labels.containerlab!] ??= []).push(details(container));
  return grouped;
}

function details(container: FakeContainer): ContainerDetails {
  const absLabPath = container.labels["clab-topo-file"] ?? "";
  const relativePath = relative(process.cwd(), absLabPath);
  const group = container.labels["clab-node-group"];
  return {
    lab_name: container.labels.containerlab!,
    labPath: relativePath.length < absLabPath.length ? relativePath : absLabPath,
    absLabPath,
    name: container.name,
    container_id: container.id.slice(0, 12),
    image: container.image,
    kind: container.labels["clab-node-kind"] ?? "",
    ...(group ? { group } : {}),
    state: container.state,
    status: containerStatus(container),
    ipv4_address: container.ipv4 ?? "N/A",
    ipv6_address: container.ipv6 ?? "N/A",
    owner: container.labels["clab-owner"] ?? "",
  };
}

function printCsv(grouped: Record<string, ContainerDetails[]>): void {
  const rows = Object.values(grouped).flat().map((record) => CSV_COLUMNS.map((column) => record[column]).join(","));
  process.stdout.write(`${[CSV_COLUMNS.join(","), ...rows].join("\n")}\n`);
}

/** The rounded go-pretty table of current containerlab, without colours. */
function printTable(grouped: Record<string, ContainerDetails[]>, allLabs: boolean): void {
  const records = Object.values(grouped).flat();
  if (records.length === 0) return;
  const header = [...(allLabs ? ["Topology", "Lab Name"] : []), "Name", "Kind/Image", "State", "IPv4/6 Address"];
  const rows = records.map((record) => [
    ...(allLabs ? [record.labPath, record.lab_name] : []),
    record.name,
    `${record.kind}\n${record.image}`,
    record.state,
    `${record.ipv4_address}\n${record.ipv6_address}`,
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.flatMap((row) => row[column]!.split("\n").map((line) => line.length)))
  );
  const rule = (left: string, middle: string, right: string) =>
    `${left}${widths.map((width) => "─".repeat(width + 2)).join(middle)}${right}`;
  const line = (cells: string[]) => `│${cells.map((cell, column) => ` ${cell.padEnd(widths[column]!)} `).join("│")}│`;
  const output = [rule("╭", "┬", "╮"), line(header), rule("├", "┼", "┤")];
  rows.forEach((row, index) => {
    const height = Math.max(...row.map((cell) => cell.split("\n").length));
    for (let part = 0; part < height; part++) output.push(line(row.map((cell) => cell.split("\n")[part] ?? "")));
    output.push(index === rows.length - 1 ? rule("╰", "┴", "╯") : rule("├", "┼", "┤"));
  });
  process.stdout.write(`${output.join("\n")}\n`);
}
