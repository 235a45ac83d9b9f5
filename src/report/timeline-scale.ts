import type { Timeline, TimelineEntry, TimelineSpan } from "./model.js";

/** Time formatting, axis ticks and the visible window, shared by the timeline renderers (always UTC). */

/** "2025-05-05 15:03:47" from an ISO UTC stamp; `minute` drops the seconds. */
export function formatUtc(iso: string, precision: "second" | "minute" = "second"): string {
  const text = iso.replace("T", " ").replace(/\.\d+Z$|Z$/, "");
  return precision === "minute" ? text.slice(0, 16) : text.slice(0, 19);
}

/** A duration in words a reader takes in at once: "2 h 1 min", "45 s", "3 days". */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
  return `${Math.round(h / 24)} days`;
}

export interface Tick {
  ms: number;
  label: string;
}

const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;
const day = 24 * hour;
const steps = [1, 2, 5, 10, 15, 30].map((n) => n * second).concat([1, 2, 5, 10, 15, 30].map((n) => n * minute), [1, 2, 3, 6, 12].map((n) => n * hour), [1, 2, 7, 14, 30].map((n) => n * day));

/** Round-valued ticks between two times, at most `maxTicks`, labelled as briefly as the step allows. */
export function axisTicks(startMs: number, endMs: number, maxTicks: number): Tick[] {
  const span = Math.max(endMs - startMs, second);
  const step = steps.find((s) => span / s <= maxTicks) ?? Math.ceil(span / maxTicks / day) * day;
  const ticks: Tick[] = [];
  let previousDay = "";
  for (let t = Math.ceil(startMs / step) * step; t <= endMs; t += step) {
    const iso = new Date(t).toISOString();
    const date = iso.slice(5, 10);
    const time = step < minute ? iso.slice(11, 19) : iso.slice(11, 16);
    // The date only where it changes: the first tick and the first tick of each new day.
    const label = step >= day ? iso.slice(0, 10) : date !== previousDay ? `${date} ${time}` : time;
    previousDay = date;
    ticks.push({ ms: t, label });
  }
  return ticks;
}

/** What the picture shows: the entries and rows inside the timeline's window, and its time range. */
export interface TimelineView {
  entries: { entry: TimelineEntry; spans: TimelineSpan[] }[];
  lo: number;
  hi: number;
  /** Rows dated outside the window: in the tables only. */
  outside: TimelineSpan[];
  /** Indexes into timeline.events of the events around the starts the picture shows. */
  events: number[];
}

export function timelineView(t: Timeline): TimelineView | undefined {
  if (!t.start || !t.end) return undefined;
  const start = Date.parse(t.start);
  const end = Date.parse(t.end);
  const inside = (s: { first: string; last: string }): boolean => Date.parse(s.last) >= start && Date.parse(s.first) <= end;
  const entries = t.entries.map((entry) => ({ entry, spans: entry.spans.filter(inside) })).filter((e) => e.spans.length > 0);
  const outside = t.entries.flatMap((e) => e.spans.filter((s) => !inside(s)));
  const spans = entries.flatMap((e) => e.spans);
  if (spans.length === 0) return undefined;
  const events = [...new Set(entries.filter((e) => Date.parse(e.entry.first) >= start).flatMap((e) => e.entry.nearStart))].sort((a, b) => a - b);
  const times = [...spans.flatMap((s) => [Math.max(start, Date.parse(s.first)), Math.min(end, Date.parse(s.last))]), ...events.map((i) => Date.parse(t.events[i]?.at ?? t.start ?? ""))];
  return { entries, lo: Math.min(...times), hi: Math.max(...times), outside, events };
}

/** The sentence under the picture for rows it cannot show. */
export function outsideNote(view: TimelineView): string | undefined {
  if (view.outside.length === 0) return undefined;
  const dates = [...new Set(view.outside.map((s) => s.first.slice(0, 10)))].sort();
  const n = view.outside.length;
  return `${n} row${n === 1 ? " is" : "s are"} dated far from the rest (${dates.slice(0, 3).join(", ")}${dates.length > 3 ? ", …" : ""}) and ${n === 1 ? "is" : "are"} in the table only: probably a node clock, or a year guessed for log stamps that carry none.`;
}
