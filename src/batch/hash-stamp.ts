import { mkdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomically } from "./atomic-write.js";
import { hashBundle, type ContentHash } from "./content-hash.js";

/**
 * The content hash of an archive, remembered with the file's size, modification time and
 * inode (`<out>/<slug>/hash-stamp.json`): a re-run over an unchanged folder of bundles then
 * reads no bundle at all. Hashing read every byte of every archive again (about 2 s per GB
 * here), which is not "near-instant" for a fleet. A file rewritten with the same size
 * within the same mtime would keep its old hash: `--force` hashes and analyses everything.
 * Kept out of batch.json and the index, which must not depend on the machine's file times.
 */
interface HashStamp {
  size: number;
  mtimeMs: number;
  ino: number;
  hash: string;
  bytes: number;
}

/** Also copied by `merge`, so a merged folder resumes as cheaply as the shards. */
export const stampFile = "hash-stamp.json";

async function readStamp(path: string): Promise<HashStamp | undefined> {
  try {
    const s = JSON.parse(await readFile(path, "utf8")) as HashStamp;
    return typeof s.hash === "string" && typeof s.size === "number" && typeof s.mtimeMs === "number" && typeof s.ino === "number" && typeof s.bytes === "number" ? s : undefined;
  } catch {
    return undefined;
  }
}

/** hashBundle, or for an archive whose size, mtime and inode are unchanged, the remembered hash. */
export async function contentHashOf(path: string, kind: "file" | "folder", slugDir: string, force: boolean): Promise<ContentHash> {
  if (kind === "folder") return hashBundle(path, kind);
  const info = await stat(path);
  // Whole milliseconds, rounded: tools that copy or restore times (cp -p, rsync, touch -r)
  // keep those, and a time set through seconds as a float can land a hair below.
  const mtimeMs = Math.round(info.mtimeMs);
  const stampPath = join(slugDir, stampFile);
  const stamp = force ? undefined : await readStamp(stampPath);
  if (stamp && stamp.size === info.size && stamp.mtimeMs === mtimeMs && stamp.ino === info.ino) return { hash: stamp.hash, bytes: stamp.bytes };
  const content = await hashBundle(path, kind);
  const fresh: HashStamp = { size: info.size, mtimeMs, ino: info.ino, hash: content.hash, bytes: content.bytes };
  await mkdir(slugDir, { recursive: true });
  await writeFileAtomically(stampPath, `${JSON.stringify(fresh)}\n`);
  return content;
}
