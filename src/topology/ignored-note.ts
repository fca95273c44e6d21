/** `<field> <value> is ignored: <reason>`, the one shape every note has. */
export function ignoredNote(field: string, value: unknown, reason: string): string {
  return `${field} ${describeValue(value)} is ignored: ${reason}`;
}

function describeValue(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}
