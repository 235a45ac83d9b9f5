import type { InterfaceAddress, NetInterface } from "./types.js";

const linkLine = /^\d+:\s+([^:@\s]+)(?:@\S+)?:\s+<([^>]*)>(.*)$/;
const addrLine = /^\s+(inet6?)\s+([0-9a-fA-F.:]+)(?:\/(\d+))?(?:\s+peer\s+\S+)?(.*)$/;
const linkTypeLine = /^\s+link\/(\S+)/;
// `ip -o addr`: "2: eth0    inet 10.0.0.5/24 brd 10.0.0.255 scope global eth0\       valid_lft ..."
const oneLine = /^\d+:\s+([^:@\s]+)(?:@\S+)?\s+(inet6?)\s+([0-9a-fA-F.:]+)\/(\d+)(.*)$/;

/** Parses `ip addr` / `ip -d address` / `ip -o addr` text output. */
export function parseIpAddrText(text: string): NetInterface[] {
  const byName = new Map<string, NetInterface>();
  let current: NetInterface | undefined;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? "";
    const link = linkLine.exec(raw);
    if (link) {
      const rest = link[3] ?? "";
      current = { name: link[1] ?? "", flags: (link[2] ?? "").split(",").filter(Boolean), addresses: [] };
      const state = /\bstate (\S+)/.exec(rest);
      if (state) current.state = state[1];
      byName.set(current.name, current);
      continue;
    }
    const one = oneLine.exec(raw);
    if (one) {
      const name = one[1] ?? "";
      let iface = byName.get(name);
      if (!iface) {
        iface = { name, flags: [], addresses: [] };
        byName.set(name, iface);
      }
      iface.addresses.push(makeAddress(one[2] ?? "inet", one[3] ?? "", one[4], one[5] ?? "", i + 1));
      continue;
    }
    if (!current) continue;
    const type = linkTypeLine.exec(raw);
    if (type) {
      current.linkType = type[1];
      continue;
    }
    const addr = addrLine.exec(raw);
    if (addr) current.addresses.push(makeAddress(addr[1] ?? "inet", addr[2] ?? "", addr[3], addr[4] ?? "", i + 1));
  }
  return [...byName.values()];
}

function makeAddress(family: string, address: string, prefix: string | undefined, rest: string, line: number): InterfaceAddress {
  const scope = /\bscope (\S+)/.exec(rest);
  const fam = family === "inet6" ? "inet6" : "inet";
  return {
    family: fam,
    address,
    prefixLength: prefix ? Number(prefix) : fam === "inet" ? 32 : 128,
    ...(scope?.[1] ? { scope: scope[1] } : {}),
    line,
  };
}

/** Parses `ip -j addr` JSON output. */
export function parseIpAddrJson(value: unknown): NetInterface[] {
  if (!Array.isArray(value)) return [];
  const out: NetInterface[] = [];
  for (const item of value) {
    if (typeof item !== "object" || item === null) continue;
    const o = item as Record<string, unknown>;
    if (typeof o.ifname !== "string") continue;
    const addresses: InterfaceAddress[] = [];
    for (const a of Array.isArray(o.addr_info) ? o.addr_info : []) {
      const info = a as Record<string, unknown>;
      if (typeof info.local !== "string") continue;
      addresses.push({
        family: info.family === "inet6" ? "inet6" : "inet",
        address: info.local,
        prefixLength: typeof info.prefixlen === "number" ? info.prefixlen : 32,
        ...(typeof info.scope === "string" ? { scope: info.scope } : {}),
      });
    }
    out.push({
      name: o.ifname,
      flags: Array.isArray(o.flags) ? o.flags.filter((f): f is string => typeof f === "string") : [],
      ...(typeof o.link_type === "string" ? { linkType: o.link_type } : {}),
      ...(typeof o.operstate === "string" ? { state: o.operstate } : {}),
      addresses,
    });
  }
  return out;
}

export function looksLikeIpAddr(head: string): boolean {
  // The literal each form needs is looked for first: every file of a bundle is sniffed,
  // and these multi-line regexes cost tens of microseconds on an 8 KiB head.
  return (head.includes("mtu") && /^\d+:\s+[^:\s]+:\s+<[A-Z_,-]*>\s+mtu\s+\d+/m.test(head)) || (head.includes("inet") && /^\d+:\s+\S+\s+inet6?\s+[0-9a-f.:]+\/\d+/m.test(head));
}

export function looksLikeIpAddrJson(head: string): boolean {
  return /^\s*\[\s*\{/.test(head) && head.includes('"ifname"') && head.includes('"addr_info"');
}
