import { parse } from "yaml";

/** Box-like data helpers: dotted keys, deep merges and `-s key=value` settings. */

export type Data = Record<string, unknown>;

export function isData(value: unknown): value is Data {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `defaults.device: frr` == `defaults: {device: frr}`, at every level. */
export function expandDottedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(expandDottedKeys);
  if (!isData(value)) return value;
  const result: Data = {};
  for (const [key, child] of Object.entries(value)) setPath(result, key.split("."), expandDottedKeys(child), true);
  return result;
}

/** Sets `path` inside `target`, creating mappings on the way; `merge` merges into an existing mapping. */
export function setPath(target: Data, path: string[], value: unknown, merge = false): void {
  const [head, ...rest] = path;
  if (head === undefined) return;
  if (rest.length === 0) {
    target[head] = merge && isData(target[head]) && isData(value) ? deepMerge(target[head], value) : value;
    return;
  }
  if (!isData(target[head])) target[head] = {};
  setPath(target[head] as Data, rest, value, merge);
}

export function getPath(source: unknown, path: string[]): unknown {
  return path.reduce<unknown>((value, key) => (isData(value) ? value[key] : undefined), source);
}

/** Box addition: mappings merge recursively, anything else on the right wins. */
export function deepMerge(...layers: Data[]): Data {
  const result: Data = {};
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer)) {
      result[key] = isData(result[key]) && isData(value) ? deepMerge(result[key], value) : structuredClone(value);
    }
  }
  return result;
}

/** `-s key=value` and `NETLAB_*` values are YAML scalars: numbers and booleans are typed. */
export function parseScalar(text: string): unknown {
  try {
    return parse(text) ?? text;
  } catch {
    return text;
  }
}

export function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}
