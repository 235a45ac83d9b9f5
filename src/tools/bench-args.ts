import { tmpdir } from "node:os";
import { benchDir } from "./bench-bundle.js";

export type BenchSection = "main" | "patterns" | "files" | "startup";
export const benchSections: readonly BenchSection[] = ["main", "patterns", "files", "startup"];

export interface BenchArgs {
  /** Uncompressed log bytes of the main bundle. */
  size: number;
  /** Log files of the main bundle ("200 large files"). */
  files: number;
  /** Log files of the many-small-files bundle. */
  smallFiles: number;
  /** Size of the bundles of the patterns and files comparisons. */
  variantSize: number;
  /** Runs per command; the median is reported. */
  repeat: number;
  sections: BenchSection[];
  dir: string;
  seed: number;
  /** Write the results as JSON here too. */
  json?: string;
}

export const benchUsage = `npm run bench -- [options]

  --size N          uncompressed size of the main bundle (default 1G; K, M, G suffixes are binary)
  --files N         log files in the main bundle (default 200)
  --small-files N   log files in the many-small-files bundle (default 20000)
  --variant-size N  size of the bundles of the pattern and file-count comparisons (default: --size)
  --repeat N        runs per command, the median is reported (default 3)
  --only LIST       sections to run: main,patterns,files,startup (default all)
  --dir DIR         where bundles are generated and kept (default <os tmpdir>/bundle-analyze-bench)
  --seed N          generator seed (default 1)
  --json FILE       also write the results as JSON`;

/** "1G" → 1073741824. */
export function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([KMGT]?)i?B?$/i.exec(text.trim());
  if (!m) throw new Error(`not a size: ${text} (use e.g. 256M, 1G, 4G)`);
  const unit = { "": 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 }[(m[2] ?? "").toUpperCase() as "" | "K" | "M" | "G" | "T"];
  return Math.round(Number(m[1]) * unit);
}

function positiveInt(name: string, text: string | undefined): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} needs a positive whole number, got ${text}`);
  return n;
}

export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  let size = 2 ** 30;
  let variantSize: number | undefined;
  const args: Omit<BenchArgs, "size" | "variantSize"> = { files: 200, smallFiles: 20_000, repeat: 3, sections: [...benchSections], dir: benchDir(tmpdir()), seed: 1 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] as string;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "--size":
        size = parseSize(value());
        break;
      case "--variant-size":
        variantSize = parseSize(value());
        break;
      case "--files":
        args.files = positiveInt(flag, value());
        break;
      case "--small-files":
        args.smallFiles = positiveInt(flag, value());
        break;
      case "--repeat":
        args.repeat = positiveInt(flag, value());
        break;
      case "--seed":
        args.seed = positiveInt(flag, value());
        break;
      case "--dir":
        args.dir = value();
        break;
      case "--json":
        args.json = value();
        break;
      case "--only": {
        const list = value().split(",").map((s) => s.trim());
        for (const s of list) if (!benchSections.includes(s as BenchSection)) throw new Error(`unknown section ${s} (known: ${benchSections.join(", ")})`);
        args.sections = list as BenchSection[];
        break;
      }
      case "-h":
      case "--help":
        throw new Error(benchUsage);
      default:
        throw new Error(`unknown option ${flag}\n\n${benchUsage}`);
    }
  }
  return { ...args, size, variantSize: variantSize ?? size };
}
