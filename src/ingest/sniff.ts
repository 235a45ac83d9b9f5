/** Container and compression formats recognised by their first bytes, never by file name. */
export type ContainerFormat = "gzip" | "xz" | "zip" | "bzip2" | "zstd" | "tar" | "none";

/** How many leading bytes `sniffFormat` needs to tell a tar from plain data. */
export const sniffBytes = 512;

export function sniffFormat(head: Buffer): ContainerFormat {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return "gzip";
  if (head.length >= 6 && head.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return "xz";
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 0x03 || head[2] === 0x05) && (head[3] === 0x04 || head[3] === 0x06)) return "zip";
  if (head.length >= 3 && head[0] === 0x42 && head[1] === 0x5a && head[2] === 0x68) return "bzip2";
  if (head.length >= 4 && head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return "zstd";
  if (isTarHeader(head)) return "tar";
  // An archive without entries is only its end-of-archive marker: two zero blocks.
  if (head.length >= 1024 && head.subarray(0, 1024).every((b) => b === 0)) return "tar";
  return "none";
}

/** A ustar/GNU header carries "ustar" at offset 257 and a valid checksum at 148. */
function isTarHeader(head: Buffer): boolean {
  if (head.length < 512) return false;
  const magic = head.toString("latin1", 257, 262);
  if (magic !== "ustar") return false;
  const stored = parseInt(head.toString("latin1", 148, 156).replace(/\0.*$/, "").trim(), 8);
  if (!Number.isFinite(stored)) return false;
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : (head[i] ?? 0);
  return sum === stored;
}

/** True when the bytes look like text a human would read (logs, YAML, JSON). */
export function looksBinary(head: Buffer): boolean {
  const n = Math.min(head.length, 4096);
  if (n === 0) return false;
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = head[i] ?? 0;
    if (b === 0) return true;
    if (b < 7 || (b > 13 && b < 32 && b !== 27)) control++;
  }
  return control / n > 0.1;
}
