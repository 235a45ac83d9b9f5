import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { templateOf } from "../src/match/template.js";
import { parseLogLine, sniffLogFormat } from "../src/parse/log-line.js";
import type { LogFormat } from "../src/parse/types.js";
import { isoToUtc, syslogToUtc } from "../src/parse/timestamps.js";

// The straightforward versions the fast ones replaced: same answers on any input.

const referenceMaskers: [RegExp, string][] = [
  [/^[IWEF]\d{4} \d{2}:\d{2}:\d{2}\.\d+\s+\d+ [^\]\s]+\] /, ""],
  [/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?/g, "<TIME>"],
  [/\b\d{2}:\d{2}:\d{2}(?:[.,]\d+)?\b/g, "<TIME>"],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, "<UUID>"],
  [/\b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?\b/g, "<IP>"],
  [/\b(?:[0-9a-f]{1,4}:){3,7}[0-9a-f]{1,4}(?:\/\d+)?\b|\b(?:[0-9a-f]{1,4}:){1,6}:(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,5})?(?:\/\d+)?|::[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,6}(?:\/\d+)?/gi, "<IP6>"],
  [/\b[0-9a-f]{12,}\b/gi, "<HEX>"],
  [/\b([a-z][a-z0-9-]*?)-[a-z0-9]{8,10}-[a-z0-9]{5}\b/g, "$1-<POD>"],
  [/\b([a-z][a-z0-9-]*?)-[bcdfghjklmnpqrstvwxz2-9]{5}\b/g, "$1-<POD>"],
  [/\b\d+(?:\.\d+)?(?:ms|s|µs|us|ns|m|h|Mi|Gi|Ki|MB|GB|KB|%)?\b/g, "<N>"],
];

function referenceTemplateOf(message: string): string {
  let t = message.length > 400 ? message.slice(0, 400) : message;
  for (const [re, replacement] of referenceMaskers) t = t.replace(re, replacement);
  return t.replace(/\s+/g, " ").trim();
}

function referenceIsoToUtc(stamp: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?\s*(Z|[+-]\d{2}:?\d{2})?/.exec(stamp);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const millis = frac ? Number(frac.slice(0, 3).padEnd(3, "0")) : 0;
  let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), millis);
  if (zone && zone !== "Z") {
    const sign = zone.startsWith("-") ? -1 : 1;
    const digits = zone.replace(/[+:-]/g, "");
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
  }
  if (Number.isNaN(ms)) return undefined;
  return new Date(ms).toISOString();
}

const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
function referenceSyslogToUtc(month: string, day: string, time: string, year: number | undefined, refMonth: number | undefined): string | undefined {
  const mo = months.indexOf(month);
  if (mo < 0 || year === undefined) return undefined;
  const y = refMonth !== undefined && mo > refMonth ? year - 1 : year;
  const t = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?$/.exec(time);
  if (!t) return undefined;
  const millis = t[4] ? Number(t[4].slice(0, 3).padEnd(3, "0")) : 0;
  const ms = Date.UTC(y, mo, Number(day), Number(t[1]), Number(t[2]), Number(t[3]), millis);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

// Text made of the characters the maskers care about, so that every masker fires often.
const logish = fc
  .array(
    fc.constantFrom("a", "b", "f", "z", "E", "I", "0", "1", "7", "9", ":", "::", ".", "-", "]", " ", "  ", "T", "Z", "+", "/", "ms", "pod-", "10.0.0.1", "2025-06-11T08:16:06.5Z", "08:16:06", "deadbeefcafe", "E0611 08:16:06.1 1 x.go:1] ", "\t", "\n", "\u00a0", "abcd", "3fa85f64", "-5717", "-b3fc-", "fe80", "2001:db8", "-7f89b7bc75", "-xyz12", "-k2m9p", "coredns"),
    { maxLength: 60 },
  )
  .map((parts) => parts.join(""));

describe("fast paths give the reference answers", () => {
  it("templateOf skips a mask only when it cannot match", () => {
    fc.assert(fc.property(logish, (text) => templateOf(text) === referenceTemplateOf(text)), { numRuns: 5000 });
    for (const line of [
      'E0611 08:16:06.123456    2211 reflector.go:138] failed to list pods: Get "https://[fd00::1]:6443/api": dial tcp [fd00::1]:6443: i/o timeout',
      "pod coredns-5d78c9869d-abcde in 3fa85f64-5717-4562-b3fc-2c963f66afa6 restarted 3 times after 250ms",
      "no separators at all",
      "ip 10.0.0.1:80 and fd00:1:2:3::4/64, uuid 3FA85F64-5717-4562-B3FC-2C963F66AFA6, id 0123456789abcdef0123, pod web-7f89b7bc75-xyz12 and ds-k2m9p\tand  spaces ",
    ]) expect(templateOf(line)).toBe(referenceTemplateOf(line));
  });

  it("isoToUtc writes in-range UTC stamps out directly, remembers the last second of the others, and answers the same for any sequence of stamps", () => {
    const stamp = fc
      .tuple(
        fc.oneof(fc.integer({ min: 1990, max: 2030 }), fc.constantFrom(0, 99, 100, 999, 1000, 2000, 2100, 9999)),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        fc.integer({ min: 0, max: 24 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 60 }),
        fc.constantFrom("", ".5", ".123456789", ",12", ".999"),
        fc.constantFrom("", "Z", "+02:00", "-0530", " +0100"),
        fc.constantFrom("T", " "),
      )
      .map(([y, mo, d, h, mi, s, frac, zone, sep]) => `${String(y).padStart(4, "0")}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}${sep}${String(h).padStart(2, "0")}:${String(mi).padStart(2, "0")}:${String(s).padStart(2, "0")}${frac}${zone}`);
    // Runs of repeats and near-repeats, as log lines come.
    fc.assert(fc.property(fc.array(stamp, { maxLength: 30 }), (stamps) => stamps.every((s) => isoToUtc(s) === referenceIsoToUtc(s))), { numRuns: 1000 });
    for (const edge of ["2024-02-29T23:59:59.999Z", "2023-02-29T00:00:00Z", "2025-06-11T08:16:60Z", "0099-01-01T00:00:00Z", "0999-12-31 23:59:59,5", "2025-12-31T24:00:00Z"]) expect(isoToUtc(edge)).toBe(referenceIsoToUtc(edge));
  });

  it("syslogToUtc too, across reference years and months", () => {
    const args = fc.tuple(
      fc.constantFrom(...months, "Foo"),
      fc.constantFrom("1", "9", "09", "11", "28", "29", "30", "31", "32", "0", "1.5"),
      fc.constantFrom("08:16:06", "08:16:06.5", "23:59:59.999999", "24:00:00", "8:16:06", "00:60:00", "00:00:60"),
      fc.option(fc.oneof(fc.integer({ min: 2000, max: 2030 }), fc.constantFrom(0, 99, 100, 999, 2000.5, 10000)), { nil: undefined }),
      fc.option(fc.integer({ min: 0, max: 11 }), { nil: undefined }),
    );
    fc.assert(fc.property(fc.array(args, { maxLength: 20 }), (calls) => calls.every((a) => syslogToUtc(...a) === referenceSyslogToUtc(...a))), { numRuns: 1000 });
  });

  it("sniffLogFormat votes as parsing each line in each format would", () => {
    const formats: LogFormat[] = ["cri", "klog", "journald-iso", "journald", "json", "logfmt", "iso", "journald-monotonic", "dmesg", "journald-export"];
    const ref = { year: 2000, month: 11 };
    // The reference: a line is of the first format whose parse of it keeps that format.
    const reference = (lines: string[]): LogFormat => {
      const votes = new Map<LogFormat, number>();
      for (const line of lines) {
        if (!line.trim()) continue;
        const f = formats.find((format) => parseLogLine(line, format, ref).format === format);
        if (f) votes.set(f, (votes.get(f) ?? 0) + 1);
      }
      let best: LogFormat = "plain";
      let bestVotes = 0;
      for (const [f, n] of votes) if (n > bestVotes) [best, bestVotes] = [f, n];
      return best;
    };
    const line = fc.constantFrom(
      "2025-06-11T08:16:06.123456789Z stderr F E0611 08:16:06.123456 1 a.go:1] boom",
      "2025-06-11T08:16:06Z stdout P partial",
      "I0611 08:16:06.123456    2211 reflector.go:138] listing",
      "Jun 11 08:16:06 worker-0 kubelet[6551]: E0611 08:16:06.1 1 a.go:1] x",
      "Jun  1 08:16:06 worker-0 kernel: Out of memory",
      "2025-06-11T08:16:06+0000 worker-0 containerd[1]: level=error msg=x",
      '{"level":"warn","ts":"2025-06-11T00:32:30.922Z","msg":"prober detected unhealthy status"}',
      '{"ts":1718000000.5,"msg":"x"}',
      '{"MESSAGE":"hi","__REALTIME_TIMESTAMP":"1718000000000000","PRIORITY":"3"}',
      "{not json}",
      "[1, 2]",
      "null",
      'time="2025-06-11T08:16:06Z" level=info msg="started"',
      "2025-06-11 08:16:06,123 ERROR something",
      "[   12.345678] worker-0 kernel: eth0 up",
      "[    0.000000] kernel: x86/fpu: ready",
      "MESSAGE=started",
      "plain words",
      "",
      "   ",
    );
    fc.assert(fc.property(fc.array(line, { maxLength: 20 }), (lines) => sniffLogFormat(lines) === reference(lines)), { numRuns: 2000 });
  });
});
