import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as zlibForZip from "node:zlib";
import { constants as zlibConstants, gzipSync } from "node:zlib";
import * as tar from "tar-stream";

export interface TarItem {
  name: string;
  content?: string | Buffer;
  type?: "file" | "symlink" | "link" | "directory" | "fifo" | "character-device";
  linkname?: string;
  mtime?: Date;
}

/** Builds a tar archive in memory (hostile names and types allowed: that is the point). */
export async function makeTar(items: TarItem[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const chunk of pack as AsyncIterable<Buffer>) chunks.push(chunk);
  })();
  for (const item of items) {
    const header = { name: item.name, type: item.type ?? "file", mtime: item.mtime ?? new Date("2025-06-12T00:00:00Z"), ...(item.linkname ? { linkname: item.linkname } : {}) } as Parameters<typeof pack.entry>[0];
    if ((item.type ?? "file") === "file") pack.entry(header, typeof item.content === "string" ? Buffer.from(item.content) : (item.content ?? Buffer.alloc(0)));
    else pack.entry(header);
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

export async function makeTarGz(items: TarItem[]): Promise<Buffer> {
  return gzipSync(await makeTar(items));
}

/** A fresh temp dir per test; files written there never touch the repo. */
export async function tempDir(prefix = "ba-test-"): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function writeTemp(name: string, content: Buffer | string): Promise<string> {
  const dir = await tempDir();
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

/** A minimal zip writer for tests (deflated members, optional symlink mode); no dependency needed. */
export function makeZip(items: { name: string; content?: string | Buffer; symlink?: boolean }[]): Buffer {
  const { crc32, deflateRawSync } = zlibForZip;
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const item of items) {
    const name = Buffer.from(item.name);
    const data = typeof item.content === "string" ? Buffer.from(item.content) : (item.content ?? Buffer.alloc(0));
    const packed = deflateRawSync(data);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(0x0314, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((item.symlink ? 0o120777 : 0o100644) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(items.length, 8);
  end.writeUInt16LE(items.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/**
 * A .tar.gz holding one kubelet log of `mib` MiB, built cheaply: gzip members may be
 * concatenated, so the same compressed MiB of lines is repeated. A few KiB per MiB, far
 * over the default compression-ratio limit (pass --max-compression-ratio).
 */
export function endlessLogBundle(mib: number): Buffer {
  const line = 'E0612 10:00:00.000000    1 kubelet.go:1] "Error syncing pod, skipping" err="back-off restarting failed container"\n';
  const block = Buffer.from(line.repeat(Math.ceil(1024 * 1024 / line.length)).slice(0, 1024 * 1024));
  const size = mib * 1024 * 1024;
  const header = Buffer.alloc(512);
  const field = (offset: number, length: number, value: string): void => void header.write(value.padEnd(length, "\0").slice(0, length), offset, "latin1");
  field(0, 100, "node-a/kubelet.log");
  field(100, 8, "0000644");
  field(108, 8, "0000000");
  field(116, 8, "0000000");
  field(124, 12, size.toString(8).padStart(11, "0"));
  field(136, 12, "14723353600");
  field(156, 1, "0");
  field(257, 8, "ustar\u000000");
  header.write("        ", 148, "latin1");
  let sum = 0;
  for (const b of header) sum += b;
  field(148, 8, `${sum.toString(8).padStart(6, "0")}\0 `);
  const level = { level: zlibConstants.Z_BEST_COMPRESSION };
  const repeated = gzipSync(block, level);
  const parts = [gzipSync(header, level)];
  for (let i = 0; i < mib; i++) parts.push(repeated);
  parts.push(gzipSync(Buffer.alloc(1024), level));
  return Buffer.concat(parts);
}
