import type { NetInterface } from "../../parse/facts/types.js";

export function ipv4ToInt(ip: string): number | undefined {
  const parts = ip.split(".");
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

export function isIPv4(value: string): boolean {
  return ipv4ToInt(value) !== undefined;
}

export function isIPv6(value: string): boolean {
  return /^\[?[0-9a-fA-F]{0,4}(:[0-9a-fA-F]{0,4}){2,7}\]?$/.test(value.split("/")[0] ?? "");
}

export function cidrFamily(cidr: string): "inet" | "inet6" | undefined {
  const ip = cidr.split("/")[0] ?? "";
  if (isIPv4(ip)) return "inet";
  if (isIPv6(ip)) return "inet6";
  return undefined;
}

export function inIPv4Cidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split("/");
  const a = ipv4ToInt(ip);
  const b = ipv4ToInt(base ?? "");
  const n = Number(bits);
  if (a === undefined || b === undefined || !(n >= 0 && n <= 32)) return false;
  const mask = n === 0 ? 0 : (0xffffffff << (32 - n)) >>> 0;
  return ((a & mask) >>> 0) === ((b & mask) >>> 0);
}

/** Tailscale and other carrier-grade-NAT VPN addresses. */
export const cgnatRange = "100.64.0.0/10";

/** Interfaces made by VPN software: traffic to their addresses does not reach other nodes' pods. */
export function isVpnInterface(iface: NetInterface): boolean {
  if (/^(tailscale\d*|tun\d+|wg\d+|wt\d+|zt[a-z0-9]+|nebula\d*|utun\d+|ppp\d+|tap\d+|ipsec\d*|vpn\w*|netbird\w*)$/.test(iface.name)) return true;
  return iface.linkType === "none" && iface.flags.includes("POINTOPOINT");
}

/** Interfaces Kubernetes or container runtimes create: never the node's own address. */
function isVirtualInterface(name: string): boolean {
  return /^(lo|docker\d*|cni\d*|flannel\.\d+|cali\w+|vxlan\.\w+|veth\w+|kube-\w+|tunl\d+|cilium_\w+|lxc\w+|virbr\d+|br-[0-9a-f]+|dummy\d*|nodelocaldns|kube-ipvs\d+|genev_sys_\w+|ovn-k8s-\w+|weave|datapath|vethwe\w*)$/.test(name);
}

/** The physical NIC: first non-virtual, non-VPN interface with a global IPv4 (Ethernet names first). */
export function physicalInterface(interfaces: NetInterface[]): { iface: NetInterface; address: string } | undefined {
  const candidates = interfaces.filter((i) => !isVirtualInterface(i.name) && !isVpnInterface(i));
  const scored = candidates
    .map((iface) => ({ iface, addr: iface.addresses.find((a) => a.family === "inet" && (a.scope ?? "global") === "global" && !inIPv4Cidr(a.address, cgnatRange)) }))
    .filter((c): c is { iface: NetInterface; addr: NonNullable<typeof c.addr> } => !!c.addr)
    .sort((a, b) => rank(a.iface.name) - rank(b.iface.name));
  const best = scored[0];
  return best ? { iface: best.iface, address: best.addr.address } : undefined;
}

function rank(name: string): number {
  if (/^(en|eth|eno|ens|enp|em)/.test(name)) return 0;
  if (/^(bond|team|br)/.test(name)) return 1;
  if (/^wl/.test(name)) return 2;
  return 3;
}

/** The interface that holds an address, if any. */
export function interfaceHolding(interfaces: NetInterface[], ip: string): NetInterface | undefined {
  const bare = ip.replace(/^\[|\]$/g, "");
  return interfaces.find((i) => i.addresses.some((a) => a.address === bare));
}
