import type { Finding } from "../diagnose/finding.js";
import type { Signal } from "../match/signals.js";
import { TimeHistogram } from "../match/signals.js";
import type { Timeline, TimelineEntry, TimelineEvent, TimelineSpan, UnclassifiedSummary } from "./model.js";

/** What the timeline is built from: report data plus the signals' per-source spans. */
export interface TimelineInput {
  findings: readonly Finding[];
  signals: ReadonlyMap<string, Signal>;
  unclassified: readonly UnclassifiedSummary[];
  files: readonly { path: string; firstSeen?: string; lastSeen?: string; lines?: number }[];
  /** The node a line belongs to, from its file and the host it names. */
  nodeOf(source: { file: string; host?: string }): string | undefined;
}

/** Bounds that keep the picture readable whatever the bundle holds. */
export const timelineLimits = {
  findings: 12,
  unclassified: 5,
  nodesPerEntry: 6,
  buckets: 60,
  /** An event this long before an entry's start, or `afterMs` after it, is "around its start". */
  beforeMs: 30 * 60_000,
  afterMs: 5 * 60_000,
  eventsPerEntry: 6,
} as const;

interface NodeAccumulator {
  /** One node; several (or none) when the lines cannot be told apart by node. */
  nodes: string[];
  count: number;
  first?: string;
  last?: string;
  histograms: TimeHistogram[];
}

interface Draft {
  entry: Omit<TimelineEntry, "spans" | "nearStart">;
  nodes: NodeAccumulator[];
}

/** Builds the timeline: per finding (and top unclassified cluster) and node, when and how often. */
export function buildTimeline(input: TimelineInput, limits = timelineLimits): Timeline {
  const untimed: string[] = [];
  const findingDrafts: Draft[] = [];
  for (const f of input.findings) {
    const draft = findingDraft(f, input);
    if (draft) findingDrafts.push(draft);
    else untimed.push(f.id);
  }
  const clusterDrafts = input.unclassified.flatMap((u, i) => clusterDraft(u, i));
  const shown = [...findingDrafts.slice(0, limits.findings), ...clusterDrafts.slice(0, limits.unclassified)];
  const omitted = findingDrafts.length + clusterDrafts.length - shown.length;
  if (shown.length === 0) return { entries: [], events: [], untimed, omitted };

  const grid = chooseGrid(shown, focusWindow(shown), limits.buckets);
  const candidates = [...findingDrafts.map(startEvent), ...containerEvents(input)];
  const entries: (Omit<TimelineEntry, "nearStart"> & { near: TimelineEvent[] })[] = shown.map((d) => ({
    ...d.entry,
    spans: spansOf(d.nodes, grid, limits.nodesPerEntry),
    // Events are told for findings; an unclassified shape is context, not something to explain.
    near: d.entry.kind === "finding" ? eventsNear(d.entry, candidates, limits) : [],
  }));
  const events = uniqueSorted(entries.flatMap((e) => e.near));
  const index = new Map(events.map((e, i) => [eventKey(e), i]));
  return {
    start: new Date(grid.startMs).toISOString(),
    end: new Date(grid.startMs + grid.count * grid.widthMs).toISOString(),
    bucketSeconds: grid.widthMs / 1000,
    entries: entries.map(({ near, ...e }) => ({ ...e, nearStart: near.map((n) => index.get(eventKey(n)) as number) })),
    events,
    untimed,
    omitted,
  };
}

function findingDraft(f: Finding, input: TimelineInput): Draft | undefined {
  const byNode = new Map<string, NodeAccumulator>();
  for (const id of f.patterns) {
    const signal = input.signals.get(id);
    if (!signal) continue;
    for (const source of signal.sources.values()) {
      const node = (source.file || source.host ? input.nodeOf({ file: source.file, ...(source.host ? { host: source.host } : {}) }) : undefined) ?? "";
      let acc = byNode.get(node);
      if (!acc) {
        acc = { nodes: node ? [node] : [], count: 0, histograms: [] };
        byNode.set(node, acc);
      }
      acc.count += source.count;
      if (source.firstSeen && (!acc.first || source.firstSeen < acc.first)) acc.first = source.firstSeen;
      if (source.lastSeen && (!acc.last || source.lastSeen > acc.last)) acc.last = source.lastSeen;
      if (source.histogram.counts.size > 0) acc.histograms.push(source.histogram);
    }
  }
  let nodes = [...byNode.values()].filter((n) => n.first && n.last);
  // A finding whose time span came from elsewhere still gets one row.
  if (nodes.length === 0 && f.firstSeen) nodes = [{ nodes: [...f.nodes], count: f.count, first: f.firstSeen, last: f.lastSeen ?? f.firstSeen, histograms: [] }];
  if (nodes.length === 0) return undefined;
  return { entry: { ref: f.id, kind: "finding", label: f.title, severity: f.severity, ...totals(nodes) }, nodes };
}

function clusterDraft(u: UnclassifiedSummary, index: number): Draft[] {
  if (!u.firstSeen) return [];
  // A row per node when the lines were attributed to nodes; else one row for all of them.
  const nodes: NodeAccumulator[] = u.spans?.length
    ? u.spans.map((s) => ({ nodes: s.node ? [s.node] : [], count: s.count, first: s.first, last: s.last, histograms: [] }))
    : [{ nodes: [...u.nodes], count: u.count, first: u.firstSeen, last: u.lastSeen ?? u.firstSeen, histograms: [] }];
  const label = u.template.length > 100 ? `${u.template.slice(0, 99)}…` : u.template;
  return [{ entry: { ref: `unclassified-${index + 1}`, kind: "unclassified", label, severity: u.level, ...totals(nodes) }, nodes }];
}

function totals(nodes: NodeAccumulator[]): { first: string; last: string; count: number } {
  const first = nodes.map((n) => n.first as string).sort()[0] as string;
  const last = nodes.map((n) => n.last as string).sort().at(-1) as string;
  return { first, last, count: nodes.reduce((sum, n) => sum + n.count, 0) };
}

interface Grid {
  startMs: number;
  widthMs: number;
  count: number;
}

/**
 * The window the picture shows. Lines dated far from the rest (a node whose clock is off, a
 * year guessed wrong for a syslog stamp) would squeeze everything else into a sliver, so the
 * times are split where they leave a gap of more than `maxGapMs`, and the part holding most
 * finding lines (then most lines, then the latest) is shown; the JSON keeps every entry.
 */
function focusWindow(drafts: Draft[], maxGapMs = 7 * 86_400_000): { lo: number; hi: number } {
  const points = drafts
    .flatMap((d) => d.nodes.flatMap((n) => [Date.parse(n.first as string), Date.parse(n.last as string)].map((t) => ({ t, lines: n.count / 2, findingLines: d.entry.kind === "finding" ? n.count / 2 : 0 }))))
    .sort((a, b) => a.t - b.t);
  const parts: { lo: number; hi: number; lines: number; findingLines: number }[] = [];
  for (const p of points) {
    const last = parts.at(-1);
    if (last && p.t - last.hi <= maxGapMs) {
      last.hi = p.t;
      last.lines += p.lines;
      last.findingLines += p.findingLines;
    } else parts.push({ lo: p.t, hi: p.t, lines: p.lines, findingLines: p.findingLines });
  }
  const best = [...parts].sort((a, b) => b.findingLines - a.findingLines || b.lines - a.lines || b.lo - a.lo)[0];
  return best ? { lo: best.lo, hi: best.hi } : { lo: 0, hi: 0 };
}

/**
 * The finest power-of-two-seconds grid that holds the window in `maxBuckets` buckets, made
 * coarser only as far as a source histogram needs while the window keeps a dozen buckets.
 */
function chooseGrid(drafts: Draft[], window: { lo: number; hi: number }, maxBuckets: number): Grid {
  const { lo, hi } = window;
  const buckets = (width: number): number => Math.floor(hi / width) - Math.floor(lo / width) + 1;
  let widthMs = 1000;
  while (buckets(widthMs) > maxBuckets) widthMs *= 2;
  const needed = drafts.flatMap((d) => d.nodes.flatMap((n) => n.histograms.map((h) => h.widthMs))).filter((w) => w > widthMs && buckets(w) >= 12);
  widthMs = Math.max(widthMs, ...needed);
  return { startMs: Math.floor(lo / widthMs) * widthMs, widthMs, count: buckets(widthMs) };
}

function spansOf(nodes: NodeAccumulator[], grid: Grid, maxNodes: number): TimelineSpan[] {
  let rows = nodes;
  if (rows.length > maxNodes) {
    // Keep the busiest nodes apart; the rest share one row.
    const sorted = [...rows].sort((a, b) => b.count - a.count || (a.nodes[0] ?? "").localeCompare(b.nodes[0] ?? ""));
    const rest = sorted.slice(maxNodes - 1);
    const merged: NodeAccumulator = { nodes: rest.flatMap((r) => r.nodes).sort(), count: 0, histograms: [] };
    for (const r of rest) {
      merged.count += r.count;
      if (!merged.first || (r.first as string) < merged.first) merged.first = r.first;
      if (!merged.last || (r.last as string) > merged.last) merged.last = r.last;
      merged.histograms.push(...r.histograms);
    }
    rows = [...sorted.slice(0, maxNodes - 1), merged];
  }
  return rows
    .map((acc) => ({ nodes: acc.nodes, first: acc.first as string, last: acc.last as string, count: acc.count, histogram: histogramOn(acc.histograms, grid) }))
    .sort((a, b) => a.first.localeCompare(b.first) || a.nodes.join(",").localeCompare(b.nodes.join(",")));
}

/** Lines per bucket of the grid; none when a source was only recorded coarser than the grid. */
function histogramOn(histograms: TimeHistogram[], grid: Grid): number[] {
  if (histograms.length === 0 || histograms.some((h) => h.widthMs > grid.widthMs)) return [];
  const out = new Array<number>(grid.count).fill(0);
  const offset = grid.startMs / grid.widthMs;
  for (const h of histograms) {
    for (const [i, n] of h.rebin(grid.widthMs)) {
      const slot = i - offset;
      if (slot >= 0 && slot < grid.count) out[slot] = (out[slot] ?? 0) + n;
    }
  }
  return out;
}

function startEvent(d: Draft): TimelineEvent {
  const earliest = [...d.nodes].sort((a, b) => (a.first as string).localeCompare(b.first as string) || a.nodes.join(",").localeCompare(b.nodes.join(",")))[0];
  const node = earliest?.nodes.join(", ");
  return { at: d.entry.first, kind: "finding-start", ...(node ? { node } : {}), text: `first line of: ${d.entry.label}`, ref: d.entry.ref };
}

/** kubelet names a container's log `<n>.log`, n counting restarts: n ≥ 1 starting is a restart. */
const podLogInstance = /(?:^|\/)([^/_]+)_([^/_]+)_[^/]+\/([^/]+)\/(\d+)\.log$/;

/** troubleshoot.sh keeps the previous instance's log beside the current one: its last line is when that instance stopped. */
const previousLog = /(?:^|\/)pods\/logs\/([^/]+)\/([^/]+)\/(.+)-previous\.log$/;

function containerEvents(input: TimelineInput): TimelineEvent[] {
  const out: TimelineEvent[] = [];
  for (const f of input.files) {
    const started = podLogInstance.exec(f.path);
    if (started && f.firstSeen && Number(started[4]) >= 1) {
      const node = input.nodeOf({ file: f.path });
      out.push({ at: f.firstSeen, kind: "container-start", ...(node ? { node } : {}), text: `container ${started[3]} of pod ${started[1]}/${started[2]} restarted (restart ${started[4]}; its log starts here)`, file: f.path, line: 1 });
    }
    const previous = previousLog.exec(f.path);
    if (previous && f.lastSeen) {
      const node = input.nodeOf({ file: f.path });
      out.push({ at: f.lastSeen, kind: "container-stop", ...(node ? { node } : {}), text: `container ${previous[3]} of pod ${previous[1]}/${previous[2]} stopped and was restarted (last line of its previous instance)`, file: f.path, ...(f.lines ? { line: f.lines } : {}) });
    }
  }
  return out;
}

function eventsNear(entry: Draft["entry"], candidates: TimelineEvent[], limits: typeof timelineLimits): TimelineEvent[] {
  const start = Date.parse(entry.first);
  return candidates
    .filter((e) => e.ref !== entry.ref)
    .map((e) => ({ e, delta: Date.parse(e.at) - start }))
    .filter(({ delta }) => delta >= -limits.beforeMs && delta <= limits.afterMs)
    .sort((a, b) => Math.abs(a.delta) - Math.abs(b.delta) || compareEvents(a.e, b.e))
    .slice(0, limits.eventsPerEntry)
    .map(({ e }) => e)
    .sort(compareEvents);
}

function compareEvents(a: TimelineEvent, b: TimelineEvent): number {
  return a.at.localeCompare(b.at) || a.kind.localeCompare(b.kind) || a.text.localeCompare(b.text) || (a.node ?? "").localeCompare(b.node ?? "");
}

function eventKey(e: TimelineEvent): string {
  return `${e.at}\u0000${e.kind}\u0000${e.text}\u0000${e.node ?? ""}`;
}

function uniqueSorted(events: TimelineEvent[]): TimelineEvent[] {
  const seen = new Map<string, TimelineEvent>();
  for (const e of events) if (!seen.has(eventKey(e))) seen.set(eventKey(e), e);
  return [...seen.values()].sort(compareEvents);
}
