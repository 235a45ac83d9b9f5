import { compressionRatioGraceBytes, type Limits } from "../limits.js";

/** Thrown inside ingest to stop reading the bundle at once; the walker turns it into a warning. */
export class ReadLimitReached extends Error {
  constructor(
    readonly code: "limit-total-bytes" | "limit-entries" | "decompression-bomb",
    message: string,
  ) {
    super(message);
    this.name = "ReadLimitReached";
  }
}

/** Counts every decompressed byte of the run against the total-bytes limit. */
export class ByteBudget {
  private total = 0;
  private entries = 0;

  constructor(private readonly limits: Limits) {}

  get bytesRead(): number {
    return this.total;
  }

  get entriesSeen(): number {
    return this.entries;
  }

  countEntry(): void {
    this.entries++;
    if (this.entries > this.limits.maxEntries) {
      throw new ReadLimitReached(
        "limit-entries",
        `stopped after ${this.limits.maxEntries} archive entries (raise with --max-entries)`,
      );
    }
  }

  /** Wraps a decompressed stream so every byte counts against the budget. */
  async *meter(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const chunk of source) {
      this.total += chunk.length;
      if (this.total > this.limits.maxTotalBytes) {
        throw new ReadLimitReached(
          "limit-total-bytes",
          `stopped after ${formatBytes(this.limits.maxTotalBytes)} of decompressed data (raise with --max-total-bytes)`,
        );
      }
      yield chunk;
    }
  }

  /** Wraps a decompressor's output and stops when it inflates implausibly (a zip bomb). */
  async *guardRatio(inflated: AsyncIterable<Buffer>, compressedBytes: () => number, what: string): AsyncGenerator<Buffer> {
    let out = 0;
    for await (const chunk of inflated) {
      out += chunk.length;
      if (out > compressionRatioGraceBytes && out / Math.max(1, compressedBytes()) > this.limits.maxCompressionRatio) {
        throw new ReadLimitReached(
          "decompression-bomb",
          `${what} inflates more than ${this.limits.maxCompressionRatio}:1; reading stopped (raise with --max-compression-ratio)`,
        );
      }
      yield chunk;
    }
  }
}

export function formatBytes(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
