/** Safe readers for untyped parsed YAML/JSON: a hostile document never throws here. */
export type Obj = Record<string, unknown>;

export function asObj(value: unknown): Obj | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Obj) : undefined;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

export function path(value: unknown, ...keys: string[]): unknown {
  let cur: unknown = value;
  for (const key of keys) {
    const o = asObj(cur);
    if (!o) return undefined;
    cur = o[key];
  }
  return cur;
}

export function truthy(value: unknown): boolean {
  if (typeof value === "boolean") return value;
  if (typeof value === "string") return /^(true|yes|on|1)$/i.test(value.trim());
  if (typeof value === "number") return value !== 0;
  return false;
}

/** A comma-separated or list-valued field as a list of trimmed strings. */
export function stringList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(asString).filter((s): s is string => !!s).map((s) => s.trim());
  const s = asString(value);
  if (!s) return [];
  return s.split(",").map((x) => x.trim()).filter(Boolean);
}
