import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
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
