import type { Argv } from "yargs";
import { defaultLimits, type Limits } from "../limits.js";

/** The resource-limit flags as yargs parses them (camel-cased). */
export interface LimitArgs {
  maxTotalBytes?: number;
  maxEntries?: number;
  maxDepth?: number;
  maxLineBytes?: number;
  maxFactFileBytes?: number;
  maxCompressionRatio?: number;
}

/** Adds the limit flags; every command that reads bundles takes the same ones. */
export function withLimitOptions<T>(y: Argv<T>): Argv<T> {
  return y
    .option("max-total-bytes", { type: "number", describe: `stop after this many decompressed bytes (default ${defaultLimits.maxTotalBytes})` })
    .option("max-entries", { type: "number", describe: `stop after this many archive entries (default ${defaultLimits.maxEntries})` })
    .option("max-depth", { type: "number", describe: `open archives nested this deep (default ${defaultLimits.maxNestingDepth})` })
    .option("max-line-bytes", { type: "number", describe: `keep this many bytes of a line (default ${defaultLimits.maxLineBytes})` })
    .option("max-fact-file-bytes", { type: "number", describe: `largest YAML/JSON/sysctl file parsed (default ${defaultLimits.maxFactFileBytes})` })
    .option("max-compression-ratio", { type: "number", describe: `treat higher inflation as a decompression bomb (default ${defaultLimits.maxCompressionRatio})` }) as unknown as Argv<T>;
}

/** Flags win over the config file; a zero from the command line keeps its old meaning ("default"). */
export function limitsFromArgs(args: LimitArgs, fromConfig: Partial<Limits> = {}): Partial<Limits> {
  return {
    ...fromConfig,
    ...(args.maxTotalBytes ? { maxTotalBytes: args.maxTotalBytes } : {}),
    ...(args.maxEntries ? { maxEntries: args.maxEntries } : {}),
    ...(args.maxDepth !== undefined ? { maxNestingDepth: args.maxDepth } : {}),
    ...(args.maxLineBytes ? { maxLineBytes: args.maxLineBytes } : {}),
    ...(args.maxFactFileBytes ? { maxFactFileBytes: args.maxFactFileBytes } : {}),
    ...(args.maxCompressionRatio ? { maxCompressionRatio: args.maxCompressionRatio } : {}),
  };
}
