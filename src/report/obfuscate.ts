import { isIPv4, isIPv6 } from "node:net";
import type { Report } from "./model.js";
import { IpPseudonyms } from "./obfuscate-ip.js";

/**
 * `--obfuscate`: IP addresses and host names become consistent pseudonyms across the whole
 * report, the way `sos clean` does, so a report can leave the customer's organisation. One
 * mapping is built from the whole report, then applied to every string of it: a node is
 * `host-2` in the findings, the evidence paths, the inventory and the fix alike.
 *
 * Host names are the ones the report knows as nodes or hosts (and their domains); a name
 * that only appears inside free log text is not recognised. Findings were computed on the
 * original text before this runs; only the output changes.
 */
export function obfuscateReport(report: Report): Report {
  const strings: string[] = [];
  const names = new Set<string>();
  collect(report, undefined, strings, names);
  const text = strings.join("\n");
  const ips = new IpPseudonyms(matchesOf(text, ipv4Pattern, isIPv4).concat(matchesOf(text, ipDashPattern, isIPv4, dashToDots)), matchesOf(text, ipv6Pattern, isIPv6).filter(looksLikeV6));
  const replaceNames = nameReplacer(names, text.toLowerCase());
  const obfuscate = (s: string): string =>
    replaceNames(s)
      .replace(ipv4Pattern, (m) => ips.v4Of(m))
      .replace(ipDashPattern, (m) => `ip-${ips.v4Of(dashToDots(m)).replace(/\./g, "-")}`)
      .replace(ipv6Pattern, (m) => (looksLikeV6(m) ? ips.v6Of(m) : m));
  return apply(report, undefined, obfuscate) as Report;
}

/** Fields that hold the tool's own vocabulary (ids, codes, links), never bundle data. */
const ownFields = new Set(["schemaVersion", "tool", "id", "ref", "patterns", "untimed", "severity", "confidence", "code", "kind", "level", "doc", "references", "related", "container", "redaction"]);
/** Fields whose values name a node or host. */
const hostFields = new Set(["node", "nodes", "host", "hosts", "hostname"]);
/** Names that are the same everywhere and identify no one. */
const commonNames = new Set(["localhost", "localhost.localdomain", "unknown", "none"]);
const commonDomains = new Set(["cluster.local", "svc.cluster.local", "localdomain", "local", "internal"]);

const ipv4Pattern = /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?!\d|\.\d)/g;
/** Cloud host names that spell their address: ip-10-0-0-1.ec2.internal. */
const ipDashPattern = /(?<![A-Za-z0-9-])ip-\d{1,3}-\d{1,3}-\d{1,3}-\d{1,3}(?![\d])/g;
const ipv6Pattern = /(?<![\w:])(?:[0-9a-fA-F]{0,4}:){2,7}[0-9a-fA-F]{0,4}(?![\w:]|\.\d)/g;

function dashToDots(m: string): string {
  return m.slice(3).replace(/-/g, ".");
}

/** Clock times (16:48:03) and MAC addresses are hex and colons too: an address has "::" or eight groups. */
function looksLikeV6(m: string): boolean {
  return isIPv6(m) && (m.includes("::") || m.split(":").length === 8);
}

function matchesOf(text: string, pattern: RegExp, valid: (s: string) => boolean, convert: (s: string) => string = (s) => s): string[] {
  return [...text.matchAll(pattern)].map((m) => convert(m[0])).filter(valid);
}

function collect(value: unknown, key: string | undefined, strings: string[], names: Set<string>): void {
  if (key !== undefined && ownFields.has(key)) return;
  if (typeof value === "string") {
    strings.push(value);
    if (key !== undefined && hostFields.has(key)) addName(value, names);
  } else if (Array.isArray(value)) {
    for (const v of value) collect(v, key, strings, names);
  } else if (value && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    // inventory.nodes[] are { name, files, ... }: the name is a node name.
    if (key === "nodes" && typeof obj.name === "string") addName(obj.name, names);
    for (const [k, v] of Object.entries(obj)) collect(v, k, strings, names);
  }
}

function addName(raw: string, names: Set<string>): void {
  const name = raw.trim().toLowerCase().replace(/\.$/, "");
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(name) || name.length < 2 || commonNames.has(name)) return;
  if (isIPv4(name) || /^ip-\d{1,3}-\d{1,3}-\d{1,3}-\d{1,3}$/.test(name) || /^\d+$/.test(name)) return;
  names.add(name);
}

/**
 * Replaces known host names: short names become host-1, host-2...; domains (the part after
 * the first dot, when it has two labels or more) become domain-1.example... Pseudonyms are
 * numbered in sorted order and skip any that already occur in the report.
 */
function nameReplacer(names: Set<string>, existingText: string): (s: string) => string {
  const shorts = new Set<string>();
  const domains = new Set<string>();
  for (const name of names) {
    const dot = name.indexOf(".");
    if (dot < 0) {
      shorts.add(name);
      continue;
    }
    shorts.add(name.slice(0, dot));
    const domain = name.slice(dot + 1);
    if (domain.includes(".") && !commonDomains.has(domain)) domains.add(domain);
  }
  const map = new Map<string, string>();
  const number = (values: Set<string>, make: (n: number) => string): void => {
    let n = 1;
    for (const value of [...values].sort()) {
      if (commonNames.has(value) || map.has(value)) continue;
      while (existingText.includes(make(n))) n++;
      map.set(value, make(n++));
    }
  };
  number(shorts, (n) => `host-${n}`);
  number(domains, (n) => `domain-${n}.example`);
  if (map.size === 0) return (s) => s;
  // Longest first, so a domain wins over a short name that is its prefix.
  const alternatives = [...map.keys()].sort((a, b) => b.length - a.length || a.localeCompare(b)).map(escapeRegex);
  const pattern = new RegExp(`(?<![A-Za-z0-9])(?:${alternatives.join("|")})(?![A-Za-z0-9])`, "gi");
  return (s) => s.replace(pattern, (m) => map.get(m.toLowerCase()) ?? m);
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function apply(value: unknown, key: string | undefined, fn: (s: string) => string): unknown {
  if (key !== undefined && ownFields.has(key)) return value;
  if (typeof value === "string") return fn(value);
  if (Array.isArray(value)) return value.map((v) => apply(v, key, fn));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = apply(v, k, fn);
    return out;
  }
  return value;
}
