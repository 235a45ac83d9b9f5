import type { Report, TimelineEntry, TimelineEvent, TimelineSpan } from "./model.js";
import { formatDuration, formatUtc, outsideNote, timelineView, type TimelineView } from "./timeline-scale.js";
import { plainText, truncate } from "./text.js";

/**
 * The timeline section in Markdown: a Mermaid gantt chart (GitHub and GitLab draw it) and
 * the same data as plain tables for viewers without Mermaid.
 */
export function timelineMarkdown(report: Report): string[] {
  const t = report.timeline;
  if (t.entries.length === 0 || !t.start || !t.end) {
    if (report.findings.length === 0) return [];
    return ["## Timeline", "", "None of the findings came from a line with a timestamp (they rest on configuration and state), so there is no timeline.", ""];
  }
  const out = ["## Timeline", ""];
  const view = timelineView(t);
  if (view) {
    const first = new Date(view.lo).toISOString();
    const last = new Date(view.hi).toISOString();
    out.push(`When the lines of each finding (with the symptoms it explains) were seen, per node, from ${formatUtc(first)} to ${formatUtc(last)} UTC (${formatDuration(view.hi - view.lo)}).`, "");
    out.push(...mermaidGantt(report, view), "");
  }
  out.push("| # | Finding | Node | First seen (UTC) | Last seen (UTC) | Duration | Lines |", "|---|---|---|---|---|---|---|");
  for (const e of t.entries) {
    e.spans.forEach((s, i) => {
      const label = i === 0 ? `${plainText(e.label)} (${e.severity})` : "";
      out.push(`| ${i === 0 ? entryNumber(report, e) : ""} | ${label} | ${plainText(nodeLabel(s))} | ${formatUtc(s.first)} | ${formatUtc(s.last)} | ${formatDuration(Date.parse(s.last) - Date.parse(s.first))} | ${s.count} |`);
    });
  }
  out.push("");
  const notes: string[] = [];
  if (t.untimed.length > 0) notes.push(`Not on the timeline (no timestamped line, found from configuration and state): ${t.untimed.map((id) => `\`${id}\``).join(", ")}.`);
  const outside = view ? outsideNote(view) : undefined;
  if (outside) notes.push(outside);
  if (t.omitted > 0) notes.push(`${t.omitted} more finding${t.omitted === 1 ? "" : "s"} or error shape${t.omitted === 1 ? "" : "s"} with timestamps are left off to keep the picture readable.`);
  if (notes.length) out.push(notes.join(" "), "");
  if (t.events.length > 0) {
    out.push("**Around the start of each finding** (30 minutes before to 5 minutes after):", "");
    out.push("| When (UTC) | Node | What happened | Relative to |", "|---|---|---|---|");
    for (const [i, ev] of t.events.entries()) {
      out.push(`| ${formatUtc(ev.at)} | ${plainText(ev.node ?? "—")} | ${plainText(eventText(ev))} | ${nearestStarts(report, i)} |`);
    }
    out.push("");
  }
  return out;
}

/** "1" for the first finding, "U2" for the second unclassified shape: the numbers the report uses. */
export function entryNumber(report: Report, e: TimelineEntry): string {
  if (e.kind === "unclassified") return `U${e.ref.replace(/^unclassified-/, "")}`;
  return String(report.findings.findIndex((f) => f.id === e.ref) + 1);
}

export function nodeLabel(s: TimelineSpan): string {
  if (s.nodes.length === 0) return "node unknown";
  if (s.nodes.length > 3) return `${s.nodes.slice(0, 3).join(", ")} +${s.nodes.length - 3}`;
  return s.nodes.join(", ");
}

export function eventText(ev: TimelineEvent): string {
  return ev.kind === "finding-start" ? truncate(ev.text, 140) : truncate(ev.text, 200);
}

/** "10 s before #1, 2 min after #3": the (at most three) nearest starts an event is close to. */
export function nearestStarts(report: Report, eventIndex: number): string {
  const ev = report.timeline.events[eventIndex];
  if (!ev) return "";
  const at = Date.parse(ev.at);
  const near = report.timeline.entries
    .filter((e) => e.nearStart.includes(eventIndex))
    .sort((a, b) => Math.abs(Date.parse(a.first) - at) - Math.abs(Date.parse(b.first) - at) || a.first.localeCompare(b.first));
  const told = near.slice(0, 3).map((e) => `${relative(ev.at, e.first).replace(/^at the start$/, "at the start of")} #${entryNumber(report, e)}`);
  return `${told.join(", ")}${near.length > 3 ? `, and ${near.length - 3} more` : ""}`;
}

/** "10 s before", "at the start", "2 min after". */
export function relative(at: string, start: string): string {
  const delta = Date.parse(at) - Date.parse(start);
  if (Math.abs(delta) < 1000) return "at the start";
  return `${formatDuration(Math.abs(delta))} ${delta < 0 ? "before" : "after"}`;
}

/**
 * Mermaid gantt: a section per entry, a bar per node. Mermaid's grammar gives `:`, `;` and
 * `#` a meaning, so labels keep only plain characters; dates are UTC written without a
 * zone, so every viewer draws the same axis.
 */
function mermaidGantt(report: Report, view: TimelineView): string[] {
  const t = report.timeline;
  const first = view.lo;
  const last = view.hi;
  const span = Math.max(last - first, 1000);
  // A one-line span would be drawn zero wide: give every bar a visible minimum.
  const minBar = Math.max(1000, Math.ceil((span * 0.006) / 1000) * 1000);
  const axis = span > 36 * 3_600_000 ? "%m-%d %H:%M" : span < 5 * 60_000 ? "%H:%M:%S" : "%H:%M";
  // Section names sit in a left margin of fixed width: widen it, and keep the names short.
  const out = ["```mermaid", '%%{init: {"gantt": {"leftPadding": 240, "sectionFontSize": 12, "fontSize": 12, "barHeight": 18}}}%%', "gantt", "    title Findings over time (UTC)", "    dateFormat YYYY-MM-DD HH:mm:ss", `    axisFormat ${axis}`, "    todayMarker off"];
  let task = 0;
  for (const { entry: e, spans } of view.entries) {
    out.push(`    section ${mermaidText(`${entryNumber(report, e)} ${e.kind === "finding" ? e.ref : e.label}`, 34)}`);
    const tag = e.kind === "unclassified" ? "done" : e.severity === "critical" || e.severity === "error" ? "crit" : "active";
    for (const s of spans) {
      // Rows reaching outside the window are drawn up to its edge; the table has their dates.
      const start = Math.max(Date.parse(s.first), first);
      const end = Math.max(Math.min(Date.parse(s.last), last), start + minBar);
      out.push(`    ${mermaidText(`${nodeLabel(s)} - ${s.count} line${s.count === 1 ? "" : "s"}`, 50)} :${tag}, t${++task}, ${mermaidDate(start)}, ${mermaidDate(end)}`);
    }
  }
  const events = view.events.map((i) => t.events[i]).filter((ev) => ev !== undefined && ev.kind !== "finding-start").slice(0, 8);
  if (events.length > 0) {
    out.push("    section Events");
    for (const ev of events as TimelineEvent[]) out.push(`    ${mermaidText(eventShort(ev), 50)} :milestone, e${++task}, ${mermaidDate(Date.parse(ev.at))}, ${mermaidDate(Date.parse(ev.at))}`);
  }
  out.push("```");
  return out;
}

function eventShort(ev: TimelineEvent): string {
  const m = /^container (\S+) of pod \S+ (restarted|stopped)/.exec(ev.text);
  return `${m ? `${m[1]} ${m[2]}` : ev.text}${ev.node ? ` on ${ev.node}` : ""}`;
}

function mermaidDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace("T", " ");
}

/** Only characters Mermaid's gantt grammar reads as plain text; never empty. */
function mermaidText(text: string, max: number): string {
  const clean = text.replace(/[^A-Za-z0-9 .,_()/@+=\-]/g, " ").replace(/\s+/g, " ").trim();
  return truncate(clean || "unnamed", max).replace(/…$/, "...");
}
