import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** What one command cost: wall time measured here, memory and CPU as GNU time reports them. */
export interface Measurement {
  wallSeconds: number;
  /** Peak resident set of the largest process of the command (kilobytes); undefined without GNU time. */
  maxRssKb?: number;
  /** User + system CPU seconds of the command and its children; undefined without GNU time. */
  cpuSeconds?: number;
  stdout: string;
  exitCode: number;
}

const gnuTime = "/usr/bin/time";

export function haveGnuTime(): boolean {
  return existsSync(gnuTime);
}

function parseGnuTime(stderr: string): { maxRssKb?: number; cpuSeconds?: number } {
  const num = (label: string): number | undefined => {
    const m = new RegExp(`${label}: ([0-9.]+)`).exec(stderr);
    return m ? Number(m[1]) : undefined;
  };
  const user = num("User time \\(seconds\\)");
  const system = num("System time \\(seconds\\)");
  const rss = num("Maximum resident set size \\(kbytes\\)");
  return {
    ...(rss !== undefined ? { maxRssKb: rss } : {}),
    ...(user !== undefined && system !== undefined ? { cpuSeconds: user + system } : {}),
  };
}

let runs = 0;

/**
 * Runs `sh -c script` under GNU time (when installed). Wall time is taken around the
 * spawn; GNU time writes its report to a file of its own so the command's stderr stays
 * readable.
 */
export async function measure(script: string): Promise<Measurement> {
  const useTime = haveGnuTime();
  const reportFile = join(tmpdir(), `bundle-analyze-bench-time-${process.pid}-${runs++}.txt`);
  const args = useTime ? ["-v", "-o", reportFile, "sh", "-c", script] : ["-c", script];
  const { wallSeconds, stdout, code, stderr } = await new Promise<{ wallSeconds: number; stdout: string; stderr: string; code: number | null }>((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(useTime ? gnuTime : "sh", args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", reject);
    child.on("close", (exit) => resolve({ wallSeconds: Number(process.hrtime.bigint() - started) / 1e9, stdout: out, stderr: err, code: exit }));
  });
  const report = useTime ? await readFile(reportFile, "utf8").catch(() => "") : "";
  await rm(reportFile, { force: true });
  if (code !== 0) throw new Error(`command failed (exit ${code}): ${script}\n${stderr.slice(-2000)}`);
  return { wallSeconds, ...parseGnuTime(report), stdout, exitCode: code };
}

/** Runs a command `repeat` times and keeps the run with the median wall time. */
export async function measureMedian(script: string, repeat: number): Promise<Measurement> {
  const runs: Measurement[] = [];
  for (let i = 0; i < repeat; i++) runs.push(await measure(script));
  runs.sort((a, b) => a.wallSeconds - b.wallSeconds);
  return runs[Math.floor((runs.length - 1) / 2)] as Measurement;
}

/** Quotes a path for sh. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, "'\\''")}'`;
}
