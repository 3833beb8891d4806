// Header lists as the request layer handles them: "Name: value" lines (HTTPClient's format), looked up without
// regard to case.

/** Headers a caller may give: Godot's "Name: value" lines, or a name → value record. */
export type HeaderInput = readonly string[] | Readonly<Record<string, string>>;

/** Normalize caller headers to "Name: value" lines. */
export function headerLines(input: HeaderInput | undefined): string[] {
  if (!input) return [];
  if (Array.isArray(input)) return [...(input as readonly string[])];
  return Object.entries(input as Record<string, string>).map(([k, v]) => `${k}: ${v}`);
}

/** The lower-case name of a "Name: value" line. */
function headerName(line: string): string {
  const colon = line.indexOf(':');
  return (colon >= 0 ? line.slice(0, colon) : line).trim().toLowerCase();
}

/** The value of a "Name: value" line, trimmed. */
function headerValue(line: string): string {
  const colon = line.indexOf(':');
  return colon >= 0 ? line.slice(colon + 1).trim() : '';
}

/** True when a line with this (case-insensitive) name is present. */
export function hasHeader(lines: readonly string[], name: string): boolean {
  const n = name.toLowerCase();
  return lines.some((l) => headerName(l) === n);
}

/** The lines without any of the given (case-insensitive) names. */
export function withoutHeaders(lines: readonly string[], names: readonly string[]): string[] {
  const drop = names.map((n) => n.toLowerCase());
  return lines.filter((l) => !drop.includes(headerName(l)));
}

/** First value of a header in response lines, or null. */
export function findHeader(lines: readonly string[], name: string): string | null {
  const n = name.toLowerCase();
  for (const l of lines) if (headerName(l) === n) return headerValue(l);
  return null;
}

/** Response fields as the exchange hands them: [name, value] pairs in arrival order. */
export type FieldPairs = ReadonlyArray<readonly [string, string]>;

/** The first value of a response field (any case), or null: a repeated Location or ETag is not joined. */
export function fieldValue(fields: FieldPairs, name: string): string | null {
  const n = name.toLowerCase();
  for (const [k, v] of fields) if (k.length === n.length && k.toLowerCase() === n) return v;
  return null;
}
