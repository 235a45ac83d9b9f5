import { writeFile } from "node:fs/promises";
import { loadLibrary } from "../match/load.js";
import { analyzeBundle, type AnalyzeTimings } from "../pipeline/analyze.js";
import type { LineScanMode } from "../pipeline/collect-log.js";
import { renderReport } from "../report/render.js";

/**
 * The benchmark's in-process probe: `node bench-analyze.js <bundle> <report.json>
 * [--patterns DIR]... [--line-scan lines|blocks] [--scan-workers N] [--line-work on|off] [--gunzip-thread on|off]` analyses like the
 * CLI (same JSON report) and prints how long each phase took, so a bigger pattern
 * library's cost can be told apart from the cost of reading it.
 */
export interface PhaseTimes extends AnalyzeTimings {
  loadMs: number;
  totalMs: number;
}

async function main(): Promise<void> {
  const [bundle, out, ...rest] = process.argv.slice(2);
  if (!bundle || !out) throw new Error("usage: bench-analyze <bundle> <report.json> [--patterns DIR]... [--line-scan lines|blocks] [--scan-workers N] [--line-work on|off] [--gunzip-thread on|off]");
  const dirs: string[] = [];
  let lineScan: LineScanMode = "blocks";
  let scanWorkers: number | undefined;
  let lineWork: boolean | undefined;
  let gunzipThread: boolean | undefined;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === "--patterns") dirs.push(rest[++i] ?? "");
    else if (rest[i] === "--line-scan") lineScan = rest[++i] === "lines" ? "lines" : "blocks";
    else if (rest[i] === "--scan-workers") scanWorkers = Number(rest[++i]);
    else if (rest[i] === "--line-work") lineWork = rest[++i] === "on";
    else if (rest[i] === "--gunzip-thread") gunzipThread = rest[++i] === "on";
  }
  const started = performance.now();
  const library = await loadLibrary(dirs);
  const loadMs = performance.now() - started;
  const timings: AnalyzeTimings = {};
  const report = await analyzeBundle(bundle, { library, timings, lineScan, ...(scanWorkers !== undefined ? { scanWorkers } : {}), ...(lineWork !== undefined ? { lineWork } : {}), ...(gunzipThread !== undefined ? { gunzipThread } : {}) });
  await writeFile(out, renderReport(report, "json", true));
  const times: PhaseTimes = { loadMs, ...timings, totalMs: performance.now() - started };
  process.stdout.write(`${JSON.stringify(times)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench-analyze: ${(err as Error).message}\n`);
  process.exitCode = 2;
});
