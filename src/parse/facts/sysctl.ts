import type { SysctlValue } from "./types.js";

const sysctlLine = /^\s*([A-Za-z0-9_./-]+?)\s*=\s*(.*?)\s*$/;

/** Parses `sysctl -a` output, also in the "/proc/sys/net/ipv4/ip_forward = 1" form some collectors write. */
export function parseSysctlText(text: string): Map<string, SysctlValue> {
  const values = new Map<string, SysctlValue>();
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const m = sysctlLine.exec(lines[i] ?? "");
    if (!m) continue;
    values.set(normalizeSysctlKey(m[1] ?? ""), { value: m[2] ?? "", line: i + 1 });
  }
  return values;
}

/** Parses a JSON object of sysctl keys to values (troubleshoot's host collector). */
export function parseSysctlJson(value: unknown): Map<string, SysctlValue> {
  const values = new Map<string, SysctlValue>();
  if (typeof value !== "object" || value === null || Array.isArray(value)) return values;
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v === "string" || typeof v === "number") values.set(normalizeSysctlKey(key), { value: String(v).trim() });
  }
  return values;
}

export function normalizeSysctlKey(key: string): string {
  return key.replace(/^\/?proc\/sys\//, "").replace(/\//g, ".");
}

export function looksLikeSysctl(head: string): boolean {
  // The first 20 non-empty lines, without splitting the whole head (every file is sniffed).
  const lines: string[] = [];
  for (let at = 0; at <= head.length && lines.length < 20; ) {
    let nl = head.indexOf("\n", at);
    if (nl < 0) nl = head.length;
    const line = head.slice(at, nl);
    if (line.trim() !== "") lines.push(line);
    at = nl + 1;
  }
  if (lines.length === 0) return false;
  const hits = lines.filter((l) => /^\s*(?:\/proc\/sys\/)?(?:net|kernel|vm|fs|user|abi|debug|dev|crypto)[./][A-Za-z0-9_./-]+\s*=/.test(l)).length;
  return hits / lines.length >= 0.6;
}
