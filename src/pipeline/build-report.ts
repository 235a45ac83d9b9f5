import { BundleView } from "../diagnose/bundle-view.js";
import { diagnose } from "../diagnose/diagnose.js";
import type { Finding } from "../diagnose/finding.js";
import type { WarningLog } from "../ingest/warnings.js";
import type { PatternLibrary } from "../match/load.js";
import type { Pattern } from "../match/pattern.js";
import type { UnclassifiedCluster } from "../match/unclassified.js";
import { relatedPatternIndex } from "../match/related-pattern.js";
import type { Inventory, NodeSummary, Report, Timeline, UnclassifiedSummary } from "../report/model.js";
import { reportSchemaVersion } from "../report/model.js";
import { buildTimeline } from "../report/timeline-build.js";
import { formatUtc } from "../report/timeline-scale.js";
import { toolVersion } from "../version.js";
import type { Collected } from "./collect.js";
import { findingDocLink } from "./docs.js";
import { detectProducers } from "./producers.js";

/** diagnose → report data: everything after the single pass over the bundle. */
export function buildReport(name: string, container: string, collected: Collected, library: PatternLibrary, warnings: Pick<WarningLog, "list">, unclassifiedTop = 15): Report {
  const patterns = new Map(library.patterns.map((p) => [p.id, p]));
  const view = new BundleView(collected);
  const findings = diagnose({ view, signals: collected.signals.byPattern, patterns }).map((f) => ({ ...f, ...docFor(f) }));
  const inventory = buildInventory(collected, view, findings);
  const unclassified = summarizeUnclassified(collected, view, library.patterns, unclassifiedTop);
  const spans = collected.files.flatMap((f) => [f.firstSeen, f.lastSeen]).filter((s): s is string => !!s).sort();
  const timeline = buildTimeline({
    findings,
    signals: collected.signals.byPattern,
    unclassified,
    files: collected.files,
    nodeOf: (source) => view.nodeOf({ ...source, text: "" }),
  });
  return {
    schemaVersion: reportSchemaVersion,
    tool: { name: "bundle-analyze", version: toolVersion, patterns: library.patterns.length },
    bundle: { name, container },
    stats: {
      files: collected.files.length,
      logFiles: collected.files.filter((f) => f.kind === "log").length,
      lines: collected.totalLines,
      bytes: collected.totalBytes,
    },
    ...(spans.length ? { timeSpan: { first: spans[0] as string, last: spans[spans.length - 1] as string } } : {}),
    summary: summaryParagraph(findings, timeline, spans.at(-1)),
    findings,
    unclassified,
    unclassifiedTotal: [...collected.unclassified.clusters.values()].reduce((n, c) => n + c.count, 0) + collected.unclassified.overflow,
    timeline,
    inventory,
    warnings: warnings.list(),
    redaction: { enabled: true },
  };
}

function docFor(f: Finding): { doc?: string } {
  const doc = findingDocLink(f.id);
  return doc ? { doc } : {};
}

/**
 * The first paragraph: what is wrong, since when, and what else was found, in sentences a
 * non-expert can read. The top finding's own summary already names the bundle's values.
 */
function summaryParagraph(findings: Finding[], timeline: Timeline, logsEnd: string | undefined): string {
  const top = findings[0];
  if (!top) return "**No known failure was found.** The bundle was read completely; see the inventory for what it contained.";
  if (top.severity === "info") {
    const titles = findings.slice(0, 3).map((f) => f.title);
    const rest = findings.length - titles.length;
    return `**No error or warning was found.** ${findings.length} informational finding${findings.length === 1 ? "" : "s"}: ${titles.join("; ")}${rest > 0 ? `; and ${rest} more` : ""}.`;
  }
  const lead = top.confidence === "high" ? "**Diagnosis:**" : `**Most likely cause (${top.confidence} confidence):**`;
  const sentences = [`${lead} ${top.summary.trim()}`];
  const when = whenSentence(top, timeline, logsEnd);
  if (when) sentences.push(when);
  sentences.push(`The fix is under finding 1, “${top.title}”.`);
  const others = findings.slice(1);
  const serious = others.filter((f) => f.severity !== "info");
  if (serious.length > 0) {
    const named = serious.slice(0, 3).map((f) => `${f.title} (${f.severity})`);
    const rest = others.length - named.length;
    sentences.push(`Also found: ${named.join("; ")}${rest > 0 ? `; and ${rest} more` : ""}.`);
  } else if (others.length > 0) {
    sentences.push(`${others.length} informational finding${others.length === 1 ? "" : "s"} follow${others.length === 1 ? "s" : ""}.`);
  }
  return sentences.join(" ");
}

/** "It started at … on worker-1 and was still happening when the logs end." */
function whenSentence(top: Finding, timeline: Timeline, logsEnd: string | undefined): string | undefined {
  // The finding's own lines set the time; the timeline adds the node and covers findings without a span.
  const entry = timeline.entries.find((e) => e.ref === top.id);
  const first = top.firstSeen ?? entry?.first;
  const last = top.lastSeen ?? entry?.last;
  if (!first || !last) return undefined;
  const startNodes = entry?.spans.find((s) => s.first === first)?.nodes ?? [];
  const where = startNodes.length === 1 ? ` on ${startNodes[0]}` : "";
  // Minutes unless that would make start and end look the same.
  const precision = formatUtc(first, "minute") === formatUtc(last, "minute") ? "second" : "minute";
  const start = formatUtc(first, precision);
  const end = first.slice(0, 10) === last.slice(0, 10) ? formatUtc(last, precision).slice(11) : formatUtc(last, precision);
  if (first === last) return `It was seen once, at ${start} UTC${where}.`;
  // Within five minutes of the newest log line: it had not stopped when the bundle was taken.
  const ongoing = logsEnd !== undefined && Date.parse(logsEnd) - Date.parse(last) <= 5 * 60_000;
  return ongoing ? `It started at ${start} UTC${where} and was still happening when the logs end (${end} UTC).` : `It started at ${start} UTC${where}; the last occurrence was at ${end} UTC.`;
}

function buildInventory(collected: Collected, view: BundleView, findings: Finding[]): Inventory {
  const filesByKind: Record<string, number> = {};
  const nodeStats = new Map<string, NodeSummary>();
  const components = new Set<string>();
  for (const f of collected.files) {
    filesByKind[f.kind] = (filesByKind[f.kind] ?? 0) + 1;
    if (f.kind === "log" && f.component && components.size < 200) components.add(f.component);
    const node = view.nodeOfFile(f.path);
    if (!node) continue;
    let s = nodeStats.get(node);
    if (!s) {
      s = { name: node, files: 0 };
      nodeStats.set(node, s);
    }
    s.files++;
    if (f.firstSeen && (!s.firstSeen || f.firstSeen < s.firstSeen)) s.firstSeen = f.firstSeen;
    if (f.lastSeen && (!s.lastSeen || f.lastSeen > s.lastSeen)) s.lastSeen = f.lastSeen;
  }
  for (const n of view.knownNodes) if (!nodeStats.has(n)) nodeStats.set(n, { name: n, files: 0 });
  const facts = collected.facts;
  const gaps: string[] = [];
  if (facts.sysctls.length === 0) gaps.push("no `sysctl -a` dump: kernel settings (ip_forward, bridge-nf-call-iptables) could not be checked");
  if (facts.interfaces.length === 0) gaps.push("no `ip addr` output: interfaces and addresses could not be checked");
  if (facts.kube.nodes.length === 0) gaps.push("no Node objects (`kubectl get nodes -o yaml`): node addresses could not be checked");
  if (facts.kube.pods.length === 0) gaps.push("no Pod objects (`kubectl get pods -A -o yaml`): pod state could not be checked");
  for (const f of findings) for (const m of f.missingProof) if (!gaps.includes(m) && gaps.length < 30) gaps.push(m);
  const versions = view.versions();
  return {
    producers: detectProducers(collected.files),
    nodes: [...nodeStats.values()].sort((a, b) => a.name.localeCompare(b.name)),
    filesByKind,
    components: [...components].sort(),
    gaps,
    ...(versions.kubernetes.length || versions.distribution.length ? { versions } : {}),
  };
}

/** Top unclassified clusters, each with the closest known pattern as a hint. */
function summarizeUnclassified(collected: Collected, view: BundleView, patterns: readonly Pattern[], top: number): UnclassifiedSummary[] {
  const clusters = collected.unclassified.top(top);
  if (clusters.length === 0) return [];
  const hints = relatedPatternIndex(patterns);
  return clusters.map((c) => {
    const nodes = new Set<string>();
    for (const h of c.hosts) nodes.add(h);
    for (const f of c.files) {
      const n = view.nodeOfFile(f);
      if (n) nodes.add(n);
    }
    const summary: UnclassifiedSummary = {
      template: c.template,
      count: c.count,
      level: c.level,
      nodes: [...nodes].sort(),
      ...(c.firstSeen ? { firstSeen: c.firstSeen } : {}),
      ...(c.lastSeen ? { lastSeen: c.lastSeen } : {}),
      example: { file: c.example.file, ...(c.example.line ? { line: c.example.line } : {}), text: c.example.text },
    };
    const related = hints.related(c.template);
    if (related) summary.related = related;
    const spans = clusterSpans(c, view);
    if (spans.length) summary.spans = spans;
    return summary;
  });
}

/** A cluster's dated lines per node, from its sources (the shared overflow slot has no node). */
function clusterSpans(c: UnclassifiedCluster, view: BundleView): NonNullable<UnclassifiedSummary["spans"]> {
  const byNode = new Map<string, { count: number; first: string; last: string }>();
  for (const s of c.sources.values()) {
    if (!s.firstSeen || !s.lastSeen) continue;
    const node = s.file ? (view.nodeOf({ file: s.file, text: "", ...(s.host ? { host: s.host } : {}) }) ?? "") : "";
    const span = byNode.get(node);
    if (!span) byNode.set(node, { count: s.count, first: s.firstSeen, last: s.lastSeen });
    else {
      span.count += s.count;
      if (s.firstSeen < span.first) span.first = s.firstSeen;
      if (s.lastSeen > span.last) span.last = s.lastSeen;
    }
  }
  return [...byNode]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([node, span]) => ({ ...(node ? { node } : {}), ...span }));
}
