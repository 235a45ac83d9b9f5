import type { Measurement } from "./bench-measure.js";

/** One measured command of a section; `baseline` is what its ratio is taken against. */
export interface Row {
  label: string;
  /** Uncompressed bytes the command went through (0: not a throughput figure). */
  bytes: number;
  m: Measurement;
  baseline?: Measurement;
}

export const tableHeader = "| run | wall s | MB/s | peak RSS MiB | CPU s | wall / baseline |\n|---|---:|---:|---:|---:|---:|";

export function formatRow(row: Row): string {
  const { m } = row;
  const mbps = row.bytes > 0 ? (row.bytes / 1e6 / m.wallSeconds).toFixed(0) : "";
  const rss = m.maxRssKb !== undefined ? (m.maxRssKb / 1024).toFixed(0) : "";
  const cpu = m.cpuSeconds !== undefined ? m.cpuSeconds.toFixed(2) : "";
  const ratio = row.baseline ? `${(m.wallSeconds / row.baseline.wallSeconds).toFixed(2)}x` : "";
  return `| ${row.label} | ${m.wallSeconds.toFixed(row.bytes > 0 ? 2 : 3)} | ${mbps} | ${rss} | ${cpu} | ${ratio} |`;
}
