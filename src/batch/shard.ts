import { createHash } from "node:crypto";
import { BundleAnalyzeError } from "../errors.js";

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) {
    throw new BundleAnalyzeError(`--shard ${text}: expected K/N with 1 <= K <= N, e.g. --shard 3/8`, "E_USAGE");
  }
  return { index, count };
}

/**
 * Which shard a bundle belongs to: a hash of its key, not its position in the sorted list,
 * so adding bundles to the archive does not move the others to another shard (whose
 * earlier reports would then not be found for resuming).
 */
export function shardOf(key: string, count: number): number {
  const h = createHash("sha256").update(key).digest();
  return (h.readUInt32BE(0) % count) + 1;
}

export function inShard(key: string, shard: Shard | undefined): boolean {
  return !shard || shardOf(key, shard.count) === shard.index;
}
