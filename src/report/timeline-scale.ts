/** Time formatting and axis ticks shared by the timeline renderers (always UTC, never the local zone). */

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
