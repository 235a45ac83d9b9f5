import type { BundleOutcome } from "./process-bundle.js";

/** Progress of a batch on stderr. Never part of a report: it may show timings. */
export interface Progress {
  start(total: number, workers: number): void;
  started(worker: number, key: string): void;
  done(worker: number, outcome: BundleOutcome): void;
  finish(): void;
}

export type ProgressMode = "tty" | "plain" | "none";

interface Counters {
  total: number;
  done: number;
  skipped: number;
  failed: number;
  bytes: number;
  startedAt: number;
  current: Map<number, string>;
}

function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "?";
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

function rates(c: Counters, now: number): { mbps: string; eta: string } {
  // Bytes of the bundles as stored (compressed), hashed or analysed.
  const elapsed = Math.max(0.001, (now - c.startedAt) / 1000);
  const perSecond = c.bytes / elapsed;
  const mbps = perSecond >= 1e6 ? `${(perSecond / 1e6).toFixed(1)} MB/s` : `${(perSecond / 1e3).toFixed(1)} kB/s`;
  const eta = c.done === 0 ? "?" : duration((elapsed / c.done) * (c.total - c.done));
  return { mbps, eta };
}

function tail(name: string, max: number): string {
  const base = name.split("/").pop() ?? name;
  return base.length > max ? `…${base.slice(base.length - max + 1)}` : base;
}

/** No output at all (--quiet). */
function silentProgress(): Progress {
  return { start: () => undefined, started: () => undefined, done: () => undefined, finish: () => undefined };
}

/** One line redrawn in place: bar, count, MB/s, ETA and the bundle each worker is on. */
function ttyProgress(out: NodeJS.WriteStream): Progress {
  const c: Counters = { total: 0, done: 0, skipped: 0, failed: 0, bytes: 0, startedAt: Date.now(), current: new Map() };
  let last = 0;
  let timer: NodeJS.Timeout | undefined;
  const draw = (force = false): void => {
    const now = Date.now();
    if (!force && now - last < 100) return;
    last = now;
    const width = 20;
    const filled = c.total ? Math.round((c.done / c.total) * width) : 0;
    const { mbps, eta } = rates(c, now);
    const failed = c.failed ? `  ${c.failed} failed` : "";
    const workers = [...c.current.entries()].sort(([a], [b]) => a - b).map(([w, k]) => `${w + 1}:${tail(k, 24)}`).join(" ");
    const line = `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${c.done}/${c.total}${failed}  ${mbps}  ETA ${eta}  ${workers}`;
    const columns = out.columns || 100;
    out.write(`\r\x1b[K${line.length > columns - 1 ? line.slice(0, columns - 1) : line}`);
  };
  return {
    start(total) {
      c.total = total;
      c.startedAt = Date.now();
      timer = setInterval(() => draw(true), 1000);
      timer.unref();
      draw(true);
    },
    started(worker, key) {
      c.current.set(worker, key);
      draw();
    },
    done(worker, outcome) {
      c.current.delete(worker);
      c.done++;
      c.bytes += outcome.record.bytes;
      if (outcome.skipped) c.skipped++;
      if (outcome.record.status === "failed") c.failed++;
      draw(c.done === c.total);
    },
    finish() {
      if (timer) clearInterval(timer);
      out.write("\r\x1b[K");
    },
  };
}

/** A plain line every few seconds, for logs and CI (no control characters). */
function plainProgress(out: NodeJS.WritableStream, everyMs: number): Progress {
  const c: Counters = { total: 0, done: 0, skipped: 0, failed: 0, bytes: 0, startedAt: Date.now(), current: new Map() };
  let timer: NodeJS.Timeout | undefined;
  let lastDone = -1;
  const line = (): void => {
    if (c.done === lastDone) return;
    lastDone = c.done;
    const { mbps, eta } = rates(c, Date.now());
    out.write(`batch: ${c.done}/${c.total} bundles (${c.skipped} unchanged, ${c.failed} failed), ${mbps}, ETA ${eta}\n`);
  };
  return {
    start(total, workers) {
      c.total = total;
      c.startedAt = Date.now();
      out.write(`batch: ${total} bundle${total === 1 ? "" : "s"} to process with ${workers} worker${workers === 1 ? "" : "s"}\n`);
      timer = setInterval(line, everyMs);
      timer.unref();
    },
    started: () => undefined,
    done(_worker, outcome) {
      c.done++;
      c.bytes += outcome.record.bytes;
      if (outcome.skipped) c.skipped++;
      if (outcome.record.status === "failed") c.failed++;
    },
    finish() {
      if (timer) clearInterval(timer);
    },
  };
}

export function createProgress(mode: ProgressMode, out: NodeJS.WriteStream = process.stderr, plainEveryMs = 10_000): Progress {
  if (mode === "none") return silentProgress();
  if (mode === "tty") return ttyProgress(out);
  return plainProgress(out, plainEveryMs);
}
