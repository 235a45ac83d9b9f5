/** Resource limits that keep hostile or huge input bounded. Every one has a CLI flag. */
export interface Limits {
  /** Decompressed bytes read from the whole bundle before reading stops. */
  maxTotalBytes: number;
  /** Archive entries (files, links, folders) before reading stops. */
  maxEntries: number;
  /** Archives inside archives (a bundle of per-node tarballs is depth 1). */
  maxNestingDepth: number;
  /** Bytes of one line kept; the rest of the line is counted, not kept. */
  maxLineBytes: number;
  /** A structured file (YAML, JSON, sysctl dump) larger than this is not parsed. */
  maxFactFileBytes: number;
  /** Decompressed/compressed ratio above which a stream is treated as a decompression bomb. */
  maxCompressionRatio: number;
}

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

export const defaultLimits: Readonly<Limits> = Object.freeze({
  maxTotalBytes: 32 * GiB,
  maxEntries: 500_000,
  maxNestingDepth: 3,
  maxLineBytes: 64 * 1024,
  maxFactFileBytes: 64 * MiB,
  maxCompressionRatio: 200,
});

/** The ratio check only starts once this much was inflated: small files compress very well. */
export const compressionRatioGraceBytes = 64 * MiB;
