import { mkdir, writeFile } from "node:fs/promises";
import { cpus, loadavg, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadLibrary } from "../match/load.js";
import { parseBenchArgs, type BenchArgs } from "./bench-args.js";
import { generateBundle, type BundleManifest } from "./bench-bundle.js";
import { checkReport } from "./bench-check.js";
import { grepPatterns } from "./bench-grep.js";
import { haveGnuTime, measure, measureMedian, shellQuote, type Measurement } from "./bench-measure.js";
import type { PhaseTimes } from "./bench-analyze.js";
import { writeSyntheticPatterns } from "./bench-patterns.js";
import { formatRow, tableHeader, type Row } from "./bench-table.js";

/**
 * `npm run bench -- --size 1G`: generates a synthetic bundle outside the repository and
 * times, on the same file, `gzip -dc`, `tar xzOf | grep -E -f <library regexes>` and
 * bundle-analyze; then a 10x larger pattern library, many small files against few large
 * ones, and start-up. Fails (exit 1) when the analyzer missed a planted failure.
 */
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const cli = join(repoRoot, "dist", "cli", "main.js");
const probe = join(repoRoot, "dist", "tools", "bench-analyze.js");

const log = (msg: string): void => void process.stderr.write(`bench: ${msg}\n`);

interface Results {
  machine: Record<string, string | number>;
  sections: Record<string, Row[]>;
  failures: string[];
}

function machineInfo(): Record<string, string | number> {
  const cpu = cpus();
  return { cpus: cpu.length, cpuModel: cpu[0]?.model ?? "?", memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, gnuTime: haveGnuTime() ? "yes" : "no (install the Debian package `time` for RSS and CPU)" };
}

function load(): string {
  return loadavg().map((l) => l.toFixed(2)).join(" ");
}

function analyzeCommand(bundle: string, out: string, patternDirs: string[] = []): string {
  const extra = patternDirs.map((d) => ` --patterns ${shellQuote(d)}`).join("");
  return `node ${shellQuote(cli)} ${shellQuote(bundle)} --format json -o ${shellQuote(out)} -q${extra}`;
}

async function analyzeChecked(label: string, manifest: BundleManifest, args: BenchArgs, results: Results, patternDirs: string[] = []): Promise<Measurement> {
  const out = join(args.dir, "report.json");
  const m = await measureMedian(analyzeCommand(manifest.path, out, patternDirs), args.repeat);
  for (const p of await checkReport(out, manifest)) results.failures.push(`${label}: ${p}`);
  return m;
}

/** Runs the in-process probe: the same analysis, with the time of each phase. */
async function probeChecked(label: string, manifest: BundleManifest, args: BenchArgs, results: Results, patternDirs: string[] = [], probeArgs = ""): Promise<{ m: Measurement; phases: PhaseTimes }> {
  const out = join(args.dir, "report.json");
  const extra = patternDirs.map((d) => ` --patterns ${shellQuote(d)}`).join("") + probeArgs;
  const m = await measureMedian(`node ${shellQuote(probe)} ${shellQuote(manifest.path)} ${shellQuote(out)}${extra}`, args.repeat);
  for (const p of await checkReport(out, manifest)) results.failures.push(`${label}: ${p}`);
  return { m, phases: JSON.parse(m.stdout) as PhaseTimes };
}

function formatPhases(p: PhaseTimes): string {
  const ms = (n: number | undefined): string => `${(n ?? 0).toFixed(0)} ms`;
  return `load patterns ${ms(p.loadMs)}, build automaton ${ms(p.compileMs)}, pass over the bundle ${ms(p.passMs)}, diagnose and report ${ms(p.reportMs)}`;
}

function print(section: string, rows: Row[], results: Results): void {
  results.sections[section] = rows;
  process.stdout.write(`\n${tableHeader}\n${rows.map(formatRow).join("\n")}\n`);
}

async function mainSection(args: BenchArgs, results: Results): Promise<void> {
  const manifest = await generateBundle({ bytes: args.size, logFiles: args.files, seed: args.seed }, args.dir, log);
  const bytes = manifest.uncompressedBytes;
  process.stdout.write(`\n## ${formatSize(bytes)} bundle: ${manifest.files} files, ${manifest.lines} log lines, ${formatSize(manifest.compressedBytes)} compressed (load ${load()})\n`);
  const library = await loadLibrary([]);
  const converted = grepPatterns(library.patterns);
  const patternFile = join(args.dir, "grep-patterns.txt");
  await writeFile(patternFile, `${converted.join("\n")}\n`);
  // The first read of the file comes from disk; every measured run reads the page cache.
  await measure(`cat ${shellQuote(manifest.path)} > /dev/null`);
  const bundle = shellQuote(manifest.path);
  const gzip = await measureMedian(`gzip -dc ${bundle} > /dev/null`, args.repeat);
  const grep = await measureMedian(`tar xzOf ${bundle} | LC_ALL=C grep -E -c -f ${shellQuote(patternFile)} || true`, args.repeat);
  const analyze = await analyzeChecked("main", manifest, args, results);
  print(
    "main",
    [
      { label: "gzip -dc", bytes, m: gzip, baseline: gzip },
      { label: `tar xzOf | grep -E -f (${converted.length}/${library.patterns.length} regexes)`, bytes, m: grep, baseline: gzip },
      { label: "bundle-analyze --format json", bytes, m: analyze, baseline: gzip },
    ],
    results,
  );
  process.stdout.write(`grep counted ${grep.stdout.trim()} matching lines; load after: ${load()}\n`);
  const { phases } = await probeChecked("main (phases)", manifest, { ...args, repeat: 1 }, results);
  process.stdout.write(`bundle-analyze phases (one in-process run): ${formatPhases(phases)}\n`);
  // The ways of reading the same bundle: same report, how fast?
  const rows: Row[] = [];
  const modes = [
    ["two stages: flagged lines in a second thread (default for big archives with 3+ cores)", " --scan-workers 0 --line-work on"],
    ["one thread, block scan", " --scan-workers 0 --line-work off --line-scan blocks"],
    ["automaton in a worker thread", " --scan-workers 1 --line-work off"],
    ["line-by-line reference", " --scan-workers 0 --line-scan lines"],
  ] as const;
  for (const [label, flags] of modes) {
    const run = await probeChecked(`probe: ${label}`, manifest, args, results, [], flags);
    rows.push({ label: `probe, ${label} (pass ${((run.phases.passMs ?? 0) / 1000).toFixed(2)} s)`, bytes, m: run.m, baseline: gzip });
  }
  print("scan modes", rows, results);
}

async function patternsSection(args: BenchArgs, results: Results): Promise<void> {
  const manifest = await generateBundle({ bytes: args.variantSize, logFiles: args.files, seed: args.seed }, args.dir, log);
  const builtin = (await loadLibrary([])).patterns.length;
  process.stdout.write(`\n## Pattern library size: ${builtin} built-in patterns plus generated ones, ${formatSize(manifest.uncompressedBytes)} bundle (load ${load()})\n`);
  const rows: Row[] = [];
  const phases: { total: number; p: PhaseTimes }[] = [];
  let base: Measurement | undefined;
  for (const total of [100, 1000]) {
    const extra = Math.max(0, total - builtin);
    const dir = join(args.dir, `patterns-${extra}`);
    await writeSyntheticPatterns(dir, extra, args.seed);
    const run = await probeChecked(`${total} patterns`, manifest, args, results, extra ? [dir] : []);
    base ??= run.m;
    rows.push({ label: `bundle-analyze (in-process probe), ${builtin + extra} patterns`, bytes: manifest.uncompressedBytes, m: run.m, baseline: base });
    phases.push({ total: builtin + extra, p: run.phases });
  }
  print("patterns", rows, results);
  for (const { total, p } of phases) process.stdout.write(`${total} patterns: ${formatPhases(p)}\n`);
  const [small, big] = phases;
  if (small && big) process.stdout.write(`pass over the bundle (matching), ${big.total} / ${small.total} patterns: ${((big.p.passMs ?? 0) / (small.p.passMs ?? 1)).toFixed(2)}x\n`);
}

async function filesSection(args: BenchArgs, results: Results): Promise<void> {
  const large = await generateBundle({ bytes: args.variantSize, logFiles: args.files, seed: args.seed }, args.dir, log);
  const small = await generateBundle({ bytes: args.variantSize, logFiles: args.smallFiles, seed: args.seed }, args.dir, log);
  process.stdout.write(`\n## ${large.files} files vs ${small.files} files, ${formatSize(args.variantSize)} of logs each (load ${load()})\n`);
  const rows: Row[] = [];
  for (const manifest of [large, small]) {
    await measure(`cat ${shellQuote(manifest.path)} > /dev/null`);
    const gzip = await measureMedian(`gzip -dc ${shellQuote(manifest.path)} > /dev/null`, args.repeat);
    const m = await analyzeChecked(`${manifest.files} files`, manifest, args, results);
    rows.push({ label: `gzip -dc, ${manifest.files} files`, bytes: manifest.uncompressedBytes, m: gzip, baseline: gzip });
    rows.push({ label: `bundle-analyze, ${manifest.files} files`, bytes: manifest.uncompressedBytes, m, baseline: gzip });
  }
  print("files", rows, results);
  const perByte = (row: Row | undefined): number => (row ? row.m.wallSeconds / row.bytes : NaN);
  process.stdout.write(`time per byte, ${small.files} files / ${large.files} files: ${(perByte(rows[3]) / perByte(rows[1])).toFixed(2)}x\n`);
}

async function startupSection(args: BenchArgs, results: Results): Promise<void> {
  process.stdout.write(`\n## Start-up (load ${load()})\n`);
  const tiny = await generateBundle({ bytes: 64 * 1024, logFiles: 40, seed: args.seed }, args.dir, log);
  const loadScript = [
    `import { loadLibrary } from ${JSON.stringify(join(repoRoot, "dist", "match", "load.js"))};`,
    `import { LineMatcher } from ${JSON.stringify(join(repoRoot, "dist", "match", "matcher.js"))};`,
    `import { errorishTriggers } from ${JSON.stringify(join(repoRoot, "dist", "pipeline", "collect-log.js"))};`,
    "const t = process.hrtime.bigint();",
    "const library = await loadLibrary([]);",
    "new LineMatcher(library.patterns, { alsoFlag: errorishTriggers });",
    "console.log(Number(process.hrtime.bigint() - t) / 1e9);",
  ].join("\n");
  const repeat = Math.max(5, args.repeat);
  const loadRuns: number[] = [];
  for (let i = 0; i < repeat; i++) loadRuns.push(Number((await measure(`node --input-type=module -e ${shellQuote(loadScript)}`)).stdout));
  loadRuns.sort((a, b) => a - b);
  const libraryLoad = loadRuns[Math.floor((repeat - 1) / 2)] as number;
  const help = await measureMedian(`node ${shellQuote(cli)} --help > /dev/null`, repeat);
  const tinyRun = await analyzeChecked("tiny bundle", tiny, { ...args, repeat }, results);
  const rows: Row[] = [
    { label: "load and compile the pattern library (in process)", bytes: 0, m: { wallSeconds: libraryLoad, stdout: "", exitCode: 0 } },
    { label: "bundle-analyze --help", bytes: 0, m: help },
    { label: `bundle-analyze on a ${formatSize(tiny.uncompressedBytes)} bundle`, bytes: 0, m: tinyRun },
  ];
  print("startup", rows, results);
}

export function formatSize(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB"];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[u]}`;
}

async function main(): Promise<number> {
  let args: BenchArgs;
  try {
    args = parseBenchArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  await mkdir(args.dir, { recursive: true });
  const results: Results = { machine: machineInfo(), sections: {}, failures: [] };
  process.stdout.write(`# bundle-analyze benchmark\n\n${Object.entries(results.machine).map(([k, v]) => `- ${k}: ${v}`).join("\n")}\n- bundles in: ${args.dir}\n`);
  const sections = { main: mainSection, patterns: patternsSection, files: filesSection, startup: startupSection };
  for (const name of args.sections) await sections[name](args, results);
  if (args.json) await writeFile(args.json, `${JSON.stringify(results, null, 2)}\n`);
  if (results.failures.length) {
    process.stdout.write(`\nFAILED: the analyzer missed what was planted:\n${results.failures.map((f) => `- ${f}`).join("\n")}\n`);
    return 1;
  }
  process.stdout.write("\nAll planted failures were found in every run.\n");
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`bench: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 2;
  },
);
