import { cell, code, minute, truncate } from "./markdown-text.js";
import type { BatchIndex, BundleRecord } from "./types.js";

/** How many findings the chart shows; the table lists them all. */
const chartTop = 10;
/** Bundles named per finding row in index.md; index.json lists them all. */
const pathsPerRow = 8;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function percent(part: number, whole: number): string {
  return whole ? `${Math.round((part / whole) * 100)}%` : "—";
}

function linkTo(record: BundleRecord | undefined, path: string): string {
  return record?.reports ? `[${cell(path)}](${record.reports.markdown})` : cell(path);
}

function summaryLines(index: BatchIndex): string[] {
  const t = index.totals;
  const out: string[] = [];
  const top = index.findings[0];
  if (t.distinct === 0) out.push(`**No bundle could be read.** ${plural(t.failed, "bundle")} failed; see *Failed to read*.`);
  else if (!top) out.push(`**No known failure in any of the ${plural(t.distinct, "bundle")}.**`);
  else out.push(`**${t.withFindings} of ${plural(t.distinct, "bundle")} have at least one finding; the most frequent is ${code(top.id)} (${cell(top.title)}) in ${top.bundles} of ${t.distinct}.**`);
  const extra: string[] = [];
  if (t.failed) extra.push(`${plural(t.failed, "bundle")} could not be read`);
  if (t.duplicates) extra.push(`${plural(t.duplicates, "duplicate")} counted once`);
  if (extra.length) out.push(`${extra.join("; ")}.`);
  return [out.join(" "), ""];
}

function findingsSection(index: BatchIndex, byPath: Map<string, BundleRecord>): string[] {
  if (index.findings.length === 0) return [];
  const out = ["## Most frequent findings", ""];
  out.push("```mermaid", `pie showData title Bundles per finding (top ${Math.min(chartTop, index.findings.length)})`);
  for (const f of index.findings.slice(0, chartTop)) out.push(`    "${f.id}" : ${f.bundles}`);
  out.push("```", "");
  out.push("| Finding | Severity | Bundles | Share | Title | First → last seen (UTC) | Kubernetes | Seen in |", "|---|---|---|---|---|---|---|---|");
  for (const f of index.findings) {
    const shown = f.paths.slice(0, pathsPerRow).map((p) => linkTo(byPath.get(p), p));
    const more = f.paths.length > pathsPerRow ? `, and ${f.paths.length - pathsPerRow} more` : "";
    const span = f.firstSeen && f.lastSeen ? `${minute(f.firstSeen)} → ${minute(f.lastSeen)}` : "—";
    const versions = f.kubernetes.length ? f.kubernetes.map((k) => `${k.version} (${k.bundles})`).join(", ") : "unknown";
    out.push(`| ${code(f.id)} | ${f.severity} | ${f.bundles} | ${percent(f.bundles, index.totals.distinct)} | ${cell(f.title)} | ${span} | ${cell(versions)} | ${shown.join(", ")}${more} |`);
  }
  out.push("");
  return out;
}

function bundlesSection(index: BatchIndex): string[] {
  const copies = new Set(index.duplicates.map((d) => d.path));
  const rows = index.bundles.filter((r) => r.status === "ok" && !copies.has(r.path));
  if (rows.length === 0) return [];
  const out = ["## Bundles", ""];
  out.push("| Bundle | Critical | Error | Warning | Info | Top finding | Producer | Nodes | Versions | Log time span (UTC) | Read warnings |", "|---|---|---|---|---|---|---|---|---|---|---|");
  for (const r of rows) {
    const s = r.summary;
    const counts = s?.severityCounts;
    const top = s?.findings[0];
    const versions = Object.entries(s?.versions ?? {}).map(([k, v]) => `${k} ${v}`).join(", ");
    const span = s?.timeSpan ? `${minute(s.timeSpan.first)} → ${minute(s.timeSpan.last)}` : "—";
    const nodes = s?.nodes.length ? `${s.nodes.length} (${cell(truncate(s.nodes.join(", "), 60))})` : "—";
    out.push(
      `| ${linkTo(r, r.path)} | ${counts?.critical ?? 0} | ${counts?.error ?? 0} | ${counts?.warning ?? 0} | ${counts?.info ?? 0} | ${top ? code(top.id) : "—"} | ${cell(s?.producers.join(", ") || "—")} | ${nodes} | ${cell(versions || "unknown")} | ${span} | ${s?.warnings ?? 0} |`,
    );
  }
  out.push("");
  return out;
}

function unclassifiedSection(index: BatchIndex): string[] {
  if (index.unclassified.length === 0) return [];
  const out = ["## Most frequent unclassified errors", "", "Error and warning lines no pattern knew, grouped by shape (variable parts masked), across the fleet. A shape seen in many bundles is a candidate for a new pattern.", ""];
  out.push("| Template | Bundles | Lines |", "|---|---|---|");
  for (const u of index.unclassified) out.push(`| ${code(truncate(u.template, 160))} | ${u.bundles} | ${u.lines} |`);
  out.push("");
  return out;
}

function duplicatesSection(index: BatchIndex, byPath: Map<string, BundleRecord>): string[] {
  if (index.duplicates.length === 0) return [];
  const out = ["## Duplicates", "", "Same bytes as another bundle: counted once above.", "", "| Bundle | Same content as |", "|---|---|"];
  for (const d of index.duplicates) out.push(`| ${linkTo(byPath.get(d.path), d.path)} | ${linkTo(byPath.get(d.sameAs), d.sameAs)} |`);
  out.push("");
  return out;
}

function failedSection(index: BatchIndex): string[] {
  if (index.failed.length === 0) return [];
  const out = ["## Failed to read", "", "| Bundle | Error | Reason |", "|---|---|---|"];
  for (const f of index.failed) out.push(`| ${cell(f.path)} | ${f.code} | ${cell(f.reason)} |`);
  out.push("");
  return out;
}

/** index.md: what dominates across the fleet first, then every bundle, then what went wrong. */
export function renderIndexMarkdown(index: BatchIndex): string {
  const byPath = new Map(index.bundles.map((r) => [r.path, r]));
  const shard = index.shard ? ` (shard ${index.shard.index} of ${index.shard.count})` : "";
  const out = [`# Batch analysis of ${plural(index.totals.bundles, "bundle")}${shard}`, ""];
  out.push(...summaryLines(index));
  out.push(`bundle-analyze ${index.tool.version} · pattern library ${code(index.library.version)} (${index.library.patterns} patterns) · ${plural(index.totals.distinct, "distinct bundle")} read · reports are linked from each bundle name.`, "");
  out.push(...findingsSection(index, byPath), ...bundlesSection(index), ...unclassifiedSection(index), ...duplicatesSection(index, byPath), ...failedSection(index));
  return `${out.join("\n").trimEnd()}\n`;
}
