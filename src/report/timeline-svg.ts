import type { Report, TimelineEntry, TimelineSpan } from "./model.js";
import { entryNumber, nodeLabel } from "./timeline-markdown.js";
import { axisTicks, formatUtc, timelineView } from "./timeline-scale.js";

/** Geometry of the drawing, in SVG user units (the picture scales to its container). */
const width = 960;
const plotLeft = 250;
const plotRight = 880;
const axisHeight = 30;
const headerHeight = 24;
const rowHeight = 20;
const eventsHeight = 34;
/** Room a marker and its label take: closer markers share one. */
function markerWidth(numbers: number[]): number {
  return 16 + 7 * markerLabel(numbers).length;
}

function markerLabel(numbers: number[]): string {
  return numbers.length === 1 ? String(numbers[0]) : `${numbers[0]}–${numbers.at(-1)}`;
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

function n(x: number): string {
  return (Math.round(x * 10) / 10).toFixed(1).replace(/\.0$/, "");
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export interface EventMarker {
  /** 1-based numbers of the events this marker stands for (timeline.events index + 1). */
  numbers: number[];
  x: number;
}

/**
 * The timeline as inline SVG: one band per finding (and unclassified shape), one row per
 * node with its first-to-last span and a histogram of lines over time, numbered event
 * markers at the bottom. No script, no external reference; styled by the page's CSS classes.
 */
export function timelineSvg(report: Report): string {
  const t = report.timeline;
  const view = timelineView(t);
  if (!view || !t.start || !t.bucketSeconds) return "";
  const { lo, hi } = view;
  const pad = Math.max((hi - lo) * 0.02, 30_000);
  const domainLo = lo - pad;
  const domainHi = hi + pad;
  const x = (ms: number): number => Math.min(plotRight, Math.max(plotLeft, plotLeft + ((ms - domainLo) / (domainHi - domainLo)) * (plotRight - plotLeft)));
  const gridStart = Date.parse(t.start);
  const bucketMs = t.bucketSeconds * 1000;

  const rowsHeight = view.entries.reduce((h, e) => h + headerHeight + e.spans.length * rowHeight, 0);
  const height = axisHeight + rowsHeight + (view.events.length ? eventsHeight : 0) + 8;
  const body: string[] = [];

  const ticks = axisTicks(domainLo, domainHi, 7);
  for (const tick of ticks) {
    const tx = x(tick.ms);
    body.push(`<line class="tl-grid" x1="${n(tx)}" y1="${axisHeight - 6}" x2="${n(tx)}" y2="${n(height - 4)}"/>`);
    body.push(`<text class="tl-tick" x="${n(tx)}" y="${axisHeight - 12}" text-anchor="middle">${escapeXml(tick.label)}</text>`);
  }

  let y = axisHeight;
  for (const { entry, spans } of view.entries) {
    body.push(...entryBand(report, entry, spans, y, x, gridStart, bucketMs));
    y += headerHeight + spans.length * rowHeight;
  }

  if (view.events.length) {
    body.push(`<text class="tl-node" x="24" y="${n(y + 21)}">Events around the starts</text>`);
    for (const m of eventMarkers(report, view.events, x)) {
      const cy = y + 17;
      const label = markerLabel(m.numbers);
      const tip = m.numbers.map((i) => {
        const ev = t.events[i - 1];
        return ev ? `${i}. ${formatUtc(ev.at)}${ev.node ? ` ${ev.node}` : ""}: ${ev.text}` : "";
      });
      body.push(`<g class="tl-event"><title>${escapeXml(tip.join("\n"))}</title>`);
      body.push(`<line class="tl-event-line" x1="${n(m.x)}" y1="${axisHeight}" x2="${n(m.x)}" y2="${n(cy - 7)}"/>`);
      body.push(`<path class="tl-event-mark" d="M${n(m.x)} ${n(cy - 7)} l7 7 l-7 7 l-7 -7 z"/>`);
      body.push(`<text class="tl-event-label" x="${n(m.x + 10)}" y="${n(cy + 4)}">${escapeXml(label)}</text></g>`);
    }
  }

  const title = `Timeline of ${view.entries.length} finding${view.entries.length === 1 ? "" : "s"} and error shapes, ${formatUtc(new Date(lo).toISOString())} to ${formatUtc(new Date(hi).toISOString())} UTC`;
  return [
    `<svg class="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${n(height)}" width="${width}" height="${n(height)}" role="img" aria-label="${escapeXml(title)}">`,
    `<title>${escapeXml(title)}</title>`,
    ...body,
    "</svg>",
  ].join("\n");
}

function entryBand(report: Report, e: TimelineEntry, spans: TimelineSpan[], top: number, x: (ms: number) => number, gridStart: number, bucketMs: number): string[] {
  const out: string[] = [];
  const sev = e.kind === "unclassified" ? "unclassified" : e.severity;
  const num = entryNumber(report, e);
  const label = e.kind === "finding" ? e.label : `unclassified: ${e.label}`;
  const href = e.kind === "finding" ? `#finding-${num}` : "#unclassified";
  out.push(`<g class="tl-entry sev-${escapeXml(sev)}">`);
  out.push(`<rect class="tl-band" x="0" y="${n(top + 2)}" width="${width}" height="${n(headerHeight + spans.length * rowHeight - 4)}" rx="4"/>`);
  out.push(`<a href="${href}"><text class="tl-entry-label" x="8" y="${n(top + 17)}"><tspan class="tl-num">${escapeXml(num)}</tspan> ${escapeXml(clip(label, 120))}</text></a>`);
  const max = Math.max(1, ...spans.flatMap((s) => s.histogram));
  spans.forEach((s, i) => out.push(...spanRow(s, top + headerHeight + i * rowHeight, x, max, gridStart, bucketMs)));
  out.push("</g>");
  return out;
}

function spanRow(s: TimelineSpan, top: number, x: (ms: number) => number, max: number, gridStart: number, bucketMs: number): string[] {
  const out: string[] = [];
  const first = Date.parse(s.first);
  const last = Date.parse(s.last);
  const x1 = x(first);
  const x2 = Math.max(x(last), x1 + 3);
  // A row reaching outside the picture ends in an arrow there instead of a last-line tick.
  const clippedLeft = x(first - 1) <= plotLeft && x(first + 1) <= plotLeft;
  const clippedRight = x(last - 1) >= plotRight && x(last + 1) >= plotRight;
  const mid = top + rowHeight / 2;
  const tip = `${nodeLabel(s)}: ${s.count} line${s.count === 1 ? "" : "s"}, ${formatUtc(s.first)} → ${formatUtc(s.last)} UTC`;
  out.push(`<g class="tl-row"><title>${escapeXml(tip)}</title>`);
  out.push(`<text class="tl-node" x="24" y="${n(mid + 4)}">${escapeXml(clip(nodeLabel(s), 34))}</text>`);
  if (s.histogram.length === 0) {
    // Only first and last are known: a range, not a bar that would claim lines all along.
    out.push(`<rect class="tl-range" x="${n(x1)}" y="${n(mid - 1)}" width="${n(x2 - x1)}" height="2"/>`);
    if (!clippedRight) out.push(`<line class="tl-start" x1="${n(x2)}" y1="${n(mid - 5)}" x2="${n(x2)}" y2="${n(mid + 5)}"/>`);
  } else {
    out.push(`<rect class="tl-span" x="${n(x1)}" y="${n(mid - 4)}" width="${n(x2 - x1)}" height="8" rx="3"/>`);
  }
  // Density: bar height grows with the square root of the count, so one line still shows.
  s.histogram.forEach((count, i) => {
    if (count <= 0) return;
    const bx1 = x(gridStart + i * bucketMs);
    const bx2 = x(gridStart + (i + 1) * bucketMs);
    const h = 3 + 11 * Math.sqrt(count / max);
    out.push(`<rect class="tl-bar" x="${n(bx1)}" y="${n(mid + 7 - h)}" width="${n(Math.max(1.5, bx2 - bx1 - 0.6))}" height="${n(h)}"/>`);
  });
  if (!clippedLeft) out.push(`<line class="tl-start" x1="${n(x1)}" y1="${n(mid - 8)}" x2="${n(x1)}" y2="${n(mid + 8)}"/>`);
  if (clippedLeft) out.push(`<path class="tl-clip" d="M${n(plotLeft)} ${n(mid)} l7 -5 v10 z"><title>earlier lines are outside the picture</title></path>`);
  if (clippedRight) out.push(`<path class="tl-clip" d="M${n(plotRight)} ${n(mid)} l-7 -5 v10 z"><title>later lines are outside the picture</title></path>`);
  out.push(`<text class="tl-count" x="${width - 8}" y="${n(mid + 4)}" text-anchor="end">${s.count}</text>`);
  out.push("</g>");
  return out;
}

/** Events as markers; events too close to tell apart share one marker labelled with a range. */
export function eventMarkers(report: Report, indexes: readonly number[], x: (ms: number) => number): EventMarker[] {
  const markers: EventMarker[] = [];
  indexes.forEach((i) => {
    const ev = report.timeline.events[i];
    if (!ev) return;
    const ex = x(Date.parse(ev.at));
    const last = markers.at(-1);
    if (last && ex - last.x < markerWidth(last.numbers)) last.numbers.push(i + 1);
    else markers.push({ numbers: [i + 1], x: ex });
  });
  return markers;
}
