import { isIPv4, isIPv6 } from "node:net";

/**
 * Consistent pseudonyms for IP addresses that keep subnet structure: two addresses share a
 * prefix of k bits after the mapping exactly when they did before (for k >= 8 in IPv4,
 * k >= 16 in IPv6), so "is this node IP inside the pod CIDR" reads the same in the
 * obfuscated report. The mapping is deterministic (same report, same pseudonyms) and
 * cannot be undone from the output: every bit that told one address from none other is
 * replaced by 0, and the first octet is renumbered.
 *
 * Kept as they are: the host number (last IPv4 octet, last IPv6 group), which helps reading
 * (".1 is the gateway") and identifies no one, and addresses that are the same on every
 * machine (0.x, 127.x, 169.254.x, multicast, masks like 255.255.255.0, ::, ::1, ff00::/8).
 */
export class IpPseudonyms {
  private readonly v4 = new Map<number, number>();
  private readonly v6 = new Map<bigint, bigint>();

  constructor(v4Addresses: Iterable<string>, v6Addresses: Iterable<string>) {
    const fours = [...new Set([...v4Addresses].filter((a) => isIPv4(a) && !keepV4(a)).map(v4ToNumber))].sort((a, b) => a - b);
    for (const [from, to] of prefixPreserving(fours.map(BigInt), 32, 8, 8, firstOctetPool)) this.v4.set(Number(from), Number(to));
    const sixes = [...new Set([...v6Addresses].filter((a) => isIPv6(a) && !keepV6(a)).map(v6ToBigInt))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [from, to] of prefixPreserving(sixes, 128, 16, 16, firstGroupPool)) this.v6.set(from, to);
  }

  /** The pseudonym of one address, or the address itself when it is kept or was not collected. */
  v4Of(address: string): string {
    if (!isIPv4(address)) return address;
    const mapped = this.v4.get(v4ToNumber(address));
    return mapped === undefined ? address : numberToV4(mapped);
  }

  v6Of(address: string): string {
    if (!isIPv6(address) || keepV6(address)) return address;
    const mapped = this.v6.get(v6ToBigInt(address));
    return mapped === undefined ? address : bigIntToV6(mapped);
  }
}

/** Bits [top, bits - bottom) are canonicalised; the top bits are renumbered through `pool`; the bottom bits are kept. */
function prefixPreserving(addresses: bigint[], bits: number, top: number, bottom: number, pool: (index: number) => bigint): Map<bigint, bigint> {
  const out = new Map<bigint, bigint>();
  const width = BigInt(bits);
  const prefixes = new Set<string>();
  for (const a of addresses) for (let i = 1; i <= bits - bottom; i++) prefixes.add(`${i}:${a >> (width - BigInt(i))}`);
  const tops = [...new Set(addresses.map((a) => a >> (width - BigInt(top))))];
  const topIndex = new Map(tops.map((t, i) => [t, i]));
  for (const a of addresses) {
    let mapped = pool(topIndex.get(a >> (width - BigInt(top))) as number);
    for (let i = top; i < bits - bottom; i++) {
      const bit = (a >> (width - 1n - BigInt(i))) & 1n;
      // The bit is kept where the set branches (another address shares the prefix but not the bit).
      const sibling = ((a >> (width - 1n - BigInt(i))) ^ 1n).toString();
      mapped = (mapped << 1n) | (prefixes.has(`${i + 1}:${sibling}`) ? bit : 0n);
    }
    const low = a & ((1n << BigInt(bottom)) - 1n);
    out.set(a, (mapped << BigInt(bottom)) | low);
  }
  return out;
}

/** First octets for pseudonyms: 100 upwards (as sos clean does), skipping the kept ranges. */
function firstOctetPool(index: number): bigint {
  const pool: number[] = [];
  for (let o = 100; o < 224; o++) if (o !== 127 && o !== 169) pool.push(o);
  for (let o = 1; o < 100; o++) pool.push(o);
  // Last resort only: 169.254.x.x is kept as it is, so 169 could meet it.
  pool.push(169);
  return BigInt(pool[index % pool.length] as number);
}

/** First groups for IPv6 pseudonyms: unique-local fd00, fd01, ... */
function firstGroupPool(index: number): bigint {
  return 0xfd00n + BigInt(index % 256);
}

function keepV4(address: string): boolean {
  const first = Number(address.split(".")[0]);
  const second = Number(address.split(".")[1]);
  return first === 0 || first === 127 || first >= 224 || (first === 169 && second === 254);
}

function keepV6(address: string): boolean {
  const n = v6ToBigInt(address);
  return n === 0n || n === 1n || n >> 120n === 0xffn;
}

function v4ToNumber(address: string): number {
  return address.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);
}

function numberToV4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

function v6ToBigInt(address: string): bigint {
  const [head = "", tail] = address.toLowerCase().split("::");
  const headGroups = head ? head.split(":") : [];
  const tailGroups = tail ? tail.split(":") : [];
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups = tail === undefined ? headGroups : [...headGroups, ...Array<string>(missing).fill("0"), ...tailGroups];
  return groups.reduce((n, g) => (n << 16n) | BigInt(parseInt(g || "0", 16)), 0n);
}

/** RFC 5952 text: lower case, the longest run of zero groups (two or more) as "::". */
function bigIntToV6(n: bigint): string {
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((n >> BigInt(i * 16)) & 0xffffn));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLength).join(":")}`;
}
