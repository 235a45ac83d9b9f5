import { createHash, type Hash } from "node:crypto";
import { createReadStream } from "node:fs";
import { lstat, readdir } from "node:fs/promises";
import { join } from "node:path";
import { compareStrings } from "./sort.js";

export interface ContentHash {
  /** "sha256:<hex>". */
  hash: string;
  /** Bytes read: the archive's size, or the sum of the folder's file sizes. */
  bytes: number;
}

async function feedFile(hash: Hash, path: string): Promise<number> {
  let bytes = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return bytes;
}

/**
 * A folder's identity: every entry's relative path (sorted), kind and size, then each
 * file's bytes. Renaming, adding or editing a file changes it; the folder's own location
 * and timestamps do not. Links are hashed by name only: the analyzer does not follow them.
 */
async function feedFolder(hash: Hash, root: string, rel = ""): Promise<number> {
  const names = (await readdir(rel ? join(root, rel) : root)).sort(compareStrings);
  let bytes = 0;
  for (const name of names) {
    const childRel = rel ? `${rel}/${name}` : name;
    const full = join(root, childRel);
    const info = await lstat(full);
    if (info.isDirectory()) {
      hash.update(`D ${childRel}\0`);
      bytes += await feedFolder(hash, root, childRel);
    } else if (info.isFile()) {
      hash.update(`F ${childRel}\0${info.size}\0`);
      bytes += await feedFile(hash, full);
    } else {
      hash.update(`O ${childRel}\0`);
    }
  }
  return bytes;
}

/** sha256 of an archive's bytes, or of a folder's sorted file list and contents. */
export async function hashBundle(path: string, kind: "file" | "folder"): Promise<ContentHash> {
  const hash = createHash("sha256");
  const bytes = kind === "file" ? await feedFile(hash, path) : await feedFolder(hash, path);
  return { hash: `sha256:${hash.digest("hex")}`, bytes };
}
