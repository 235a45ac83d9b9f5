import { copyFile, mkdir, readFile, rename, unlink } from "node:fs/promises";
import { join, resolve } from "node:path";
import { threadId } from "node:worker_threads";
import { BundleAnalyzeError, errorMessage } from "../errors.js";
import { fileExists } from "./file-exists.js";
import { stampFile } from "./hash-stamp.js";
import { buildIndex } from "./index-build.js";
import { recordPaths } from "./record-files.js";
import { batchSchemaVersion, type BatchIndex, type BundleRecord } from "./types.js";
import { writeIndex } from "./write-index.js";

interface ShardOutput {
  dir: string;
  index: BatchIndex;
}

async function readShard(dir: string): Promise<ShardOutput> {
  const file = join(dir, "index.json");
  let index: BatchIndex;
  try {
    index = JSON.parse(await readFile(file, "utf8")) as BatchIndex;
  } catch (err) {
    throw new BundleAnalyzeError(`${dir} has no readable index.json (${errorMessage(err)}): name the --out folders of finished batch runs`, "E_INPUT_NOT_FOUND", { cause: err });
  }
  if (index.batchSchemaVersion !== batchSchemaVersion || !Array.isArray(index.bundles)) {
    throw new BundleAnalyzeError(`${file} is not a batch index this version reads (batchSchemaVersion ${String(index.batchSchemaVersion)}, expected ${batchSchemaVersion})`, "E_USAGE");
  }
  return { dir, index };
}

/** Shards must agree on what produced them, or the merged index would mix two analyses. */
function checkCompatible(shards: ShardOutput[]): void {
  const first = shards[0];
  if (!first) return;
  for (const s of shards.slice(1)) {
    if (s.index.tool.version !== first.index.tool.version) {
      throw new BundleAnalyzeError(`${s.dir} was made by bundle-analyze ${s.index.tool.version}, ${first.dir} by ${first.index.tool.version}: re-run the older shard with the same version`, "E_USAGE");
    }
    if (s.index.library.version !== first.index.library.version) {
      throw new BundleAnalyzeError(`${s.dir} used pattern library ${s.index.library.version}, ${first.dir} used ${first.index.library.version}: re-run the shards with the same patterns`, "E_USAGE");
    }
  }
}

async function copyAtomically(from: string, to: string): Promise<void> {
  const temp = `${to}.tmp-${process.pid}-${threadId}`;
  try {
    await copyFile(from, temp);
    await rename(temp, to);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw new BundleAnalyzeError(`cannot copy ${from} to ${to}: ${errorMessage(err)}`, "E_OUTPUT", { cause: err });
  }
}


/** Brings one bundle's files into the merged folder (nothing to do when it is already there). */
async function bringReports(record: BundleRecord, fromDir: string, outDir: string): Promise<void> {
  if (resolve(fromDir) === resolve(outDir)) return;
  await mkdir(join(outDir, record.slug), { recursive: true });
  const paths = recordPaths(record.slug);
  const files = record.status === "ok" ? [paths.markdown, paths.json, paths.record] : [paths.record];
  for (const rel of files) await copyAtomically(join(fromDir, rel), join(outDir, rel));
  const stamp = join(record.slug, stampFile);
  if (await fileExists(join(fromDir, stamp))) await copyAtomically(join(fromDir, stamp), join(outDir, stamp));
}

/**
 * Combines the --out folders of shard runs: the union of their bundle records, each
 * bundle's reports copied into `outDir`, and an index built by the same function as a
 * single run, so the result is byte-identical to analysing everything on one machine.
 */
export async function mergeShards(dirs: string[], outDir: string): Promise<BatchIndex> {
  if (dirs.length === 0) throw new BundleAnalyzeError("merge needs at least one batch output folder", "E_USAGE");
  const shards: ShardOutput[] = [];
  for (const dir of dirs) shards.push(await readShard(dir));
  checkCompatible(shards);
  const first = shards[0] as ShardOutput;

  const byPath = new Map<string, { record: BundleRecord; dir: string }>();
  for (const shard of shards) {
    for (const record of shard.index.bundles) {
      const seen = byPath.get(record.path);
      if (seen) {
        if (JSON.stringify(seen.record) !== JSON.stringify(record)) {
          throw new BundleAnalyzeError(`${record.path} is in both ${seen.dir} and ${shard.dir} with different results: were the shards run on different files?`, "E_USAGE");
        }
        continue;
      }
      byPath.set(record.path, { record, dir: shard.dir });
    }
  }
  try {
    await mkdir(outDir, { recursive: true });
  } catch (err) {
    throw new BundleAnalyzeError(`cannot create the output folder ${outDir}: ${errorMessage(err)}`, "E_OUTPUT", { cause: err });
  }
  for (const { record, dir } of byPath.values()) await bringReports(record, dir, outDir);
  const index = buildIndex(
    [...byPath.values()].map((e) => e.record),
    { toolVersion: first.index.tool.version, libraryVersion: first.index.library.version, patterns: first.index.library.patterns },
  );
  await writeIndex(outDir, index);
  return index;
}
