import { createWriteStream } from "node:fs";
import { mkdir, rm, stat } from "node:fs/promises";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { dirname, join, sep } from "node:path";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { createGzip } from "node:zlib";
import * as tar from "tar-stream";
import { measure, shellQuote } from "./bench-measure.js";

/**
 * Batch throughput with --jobs 1 and --jobs 2 (or any list) on generated bundles:
 *   node dist/tools/bench-batch.js [--bundles 24] [--mib 4] [--repeat 2] [--jobs 1,2]
 * Each run is the real CLI (`batch --force -q`) in its own process; the figures are wall
 * time, CPU time (GNU time: the process and its children), bundles/s, MB/s of compressed
 * and uncompressed input, and the peak RSS of the largest process (all worker threads
 * included). The load average is printed: on a machine other
 * work shares, compare CPU times as well as wall times. Bundles live in the OS temp folder, never the repository.
 */
const cli = join(dirname(fileURLToPath(import.meta.url)), "..", "cli", "main.js");

interface Options {
  bundles: number;
  mib: number;
  repeat: number;
  jobs: number[];
}

function parseArgs(argv: string[]): Options {
  const get = (name: string, fallback: string): string => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 && argv[i + 1] ? (argv[i + 1] as string) : fallback;
  };
  return {
    bundles: Number(get("bundles", "24")),
    mib: Number(get("mib", "4")),
    repeat: Number(get("repeat", "2")),
    jobs: get("jobs", "1,2").split(",").map(Number),
  };
}

/** A small deterministic generator: the same seed gives the same bundle bytes. */
class Lcg {
  private state: number;
  constructor(seed: number) {
    this.state = (seed * 2654435761) >>> 0 || 1;
  }
  next(): number {
    this.state = (Math.imul(this.state, 1664525) + 1013904223) >>> 0;
    return this.state / 2 ** 32;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
}

function stamp(seconds: number): string {
  const d = new Date(Date.UTC(2025, 5, 11, 8, 0, 0) + seconds * 1000);
  const p = (n: number, w = 2): string => String(n).padStart(w, "0");
  return `${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds(), 3)}000`;
}

/** kubelet-style klog text: mostly routine lines, some known failures, some unknown errors. */
function kubeletLog(r: Lcg, bytes: number, node: string): string {
  const out: string[] = [];
  let size = 0;
  let t = 0;
  while (size < bytes) {
    t += r.int(3);
    const pod = `app-${r.int(40)}-${(r.int(0xfffff) + 0x10000).toString(16)}`;
    const roll = r.int(1000);
    let line: string;
    if (roll < 5) line = `E${stamp(t)}    2211 pod_workers.go:1298] "Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"app\\" with CrashLoopBackOff: \\"back-off 5m0s restarting failed container=app pod=${pod}_default(${r.int(1e9)})\\"" pod="default/${pod}"`;
    else if (roll < 9) line = `E${stamp(t)}    2211 kubelet_node_status.go:549] "Error updating node status, will retry" err="error getting node \\"${node}\\": Get \\"https://10.0.0.${r.int(250)}:6443/api/v1/nodes/${node}?timeout=10s\\": context deadline exceeded"`;
    else if (roll < 20) line = `W${stamp(t)}    2211 reflector.go:${r.int(900)}] widget-controller: watch of *v1.Widget ended with: too old resource version: ${r.int(1e7)} (${r.int(1e7)})`;
    else line = `I${stamp(t)}    2211 kubelet.go:2430] "SyncLoop (PLEG): event for pod" pod="default/${pod}" event={"ID":"${r.int(1e9)}","Type":"ContainerStarted","Data":"${r.int(1e12).toString(16)}"}`;
    out.push(line);
    size += line.length + 1;
  }
  return `${out.join("\n")}\n`;
}

async function generate(dir: string, index: number, mib: number): Promise<string> {
  const path = join(dir, `bundle-${String(index).padStart(3, "0")}.tar.gz`);
  if (await stat(path).catch(() => undefined)) return path;
  const r = new Lcg(index + 1);
  const pack = tar.pack();
  const done = pipeline(pack as unknown as NodeJS.ReadableStream, createGzip({ level: 6 }), createWriteStream(path));
  const root = `support-bundle-${index}`;
  const mtime = new Date("2025-06-12T00:00:00Z");
  pack.entry({ name: `${root}/version.yaml`, mtime }, "apiVersion: troubleshoot.sh/v1beta2\nkind: SupportBundle\n");
  const nodes = 3;
  for (let n = 0; n < nodes; n++) {
    const node = `node-${index}-${n}`;
    pack.entry({ name: `${root}/host-collectors/run-host/${node}/hostname`, mtime }, `${node}\n`);
    pack.entry({ name: `${root}/host-collectors/run-host/${node}/kubelet.log`, mtime }, kubeletLog(r, Math.round((mib * 2 ** 20) / nodes), node));
  }
  pack.finalize();
  await done;
  return path;
}

interface Measure {
  seconds: number;
  cpu: number;
  peak: number;
}

/**
 * One batch run, the real CLI in its own process, under GNU time (as the main benchmark):
 * wall time, CPU of all its threads, peak RSS. Polling /proc, as before, missed the CPU
 * of the last 50 ms.
 */
async function runBatch(input: string, out: string, jobs: number): Promise<Measure> {
  await rm(out, { recursive: true, force: true });
  const m = await measure(`${shellQuote(process.execPath)} ${shellQuote(cli)} batch ${shellQuote(input)} --out ${shellQuote(out)} --jobs ${jobs} --force -q`);
  return { seconds: m.wallSeconds, cpu: m.cpuSeconds ?? 0, peak: (m.maxRssKb ?? 0) * 1024 };
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const dir = join(tmpdir(), "bundle-analyze-bench-batch", `${o.bundles}x${o.mib}MiB`);
  await mkdir(dir, { recursive: true });
  let compressed = 0;
  for (let i = 0; i < o.bundles; i++) compressed += (await stat(await generate(dir, i, o.mib))).size;
  const uncompressed = o.bundles * o.mib * 2 ** 20;
  process.stdout.write(`${o.bundles} bundles, ${(compressed / 1e6).toFixed(1)} MB compressed, ~${(uncompressed / 1e6).toFixed(0)} MB of logs; ${availableParallelism()} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(" ")}\n`);
  const best = new Map<number, Measure>();
  for (let rep = 0; rep < o.repeat; rep++) {
    for (const jobs of o.jobs) {
      const r = await runBatch(dir, join(tmpdir(), "bundle-analyze-bench-batch", `out-j${jobs}`), jobs);
      const prev = best.get(jobs);
      if (!prev || r.seconds < prev.seconds) best.set(jobs, r);
      process.stdout.write(`  run ${rep + 1} --jobs ${jobs}: ${r.seconds.toFixed(2)} s wall, ${r.cpu.toFixed(1)} s CPU, peak RSS ${(r.peak / 2 ** 20).toFixed(0)} MiB\n`);
    }
  }
  const base = best.get(o.jobs[0] as number);
  for (const jobs of o.jobs) {
    const r = best.get(jobs);
    if (!r) continue;
    const speedup = base ? base.seconds / r.seconds : 1;
    process.stdout.write(
      `--jobs ${jobs}: best ${r.seconds.toFixed(2)} s, ${(o.bundles / r.seconds).toFixed(2)} bundles/s, ${(uncompressed / 1e6 / r.seconds).toFixed(1)} MB/s of logs (${(compressed / 1e6 / r.seconds).toFixed(1)} MB/s compressed), ${r.cpu.toFixed(1)} s CPU, peak RSS ${(r.peak / 2 ** 20).toFixed(0)} MiB, ${speedup.toFixed(2)}x --jobs ${o.jobs[0]}\n`,
    );
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split(sep).pop() ?? "\u0000")) {
  main().catch((err: unknown) => {
    process.stderr.write(`bench-batch: ${String(err)}\n`);
    process.exitCode = 2;
  });
}
