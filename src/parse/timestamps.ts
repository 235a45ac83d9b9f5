const months: Record<string, number> = {
  Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11,
};

/** Normalises an ISO-like stamp ("2025-06-11T08:16:06.123456789Z", "2025-06-11 08:16:06+0200") to UTC ISO. */
export function isoToUtc(stamp: string): string | undefined {
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

/**
 * Syslog stamps ("Jun 11 08:16:06") carry no year. The year is taken from the file's
 * modification time: a stamp later in the year than the file itself belongs to the year before.
 */
export function syslogToUtc(month: string, day: string, time: string, referenceYear: number | undefined, referenceMonth: number | undefined): string | undefined {
  const mo = months[month];
  if (mo === undefined || referenceYear === undefined) return undefined;
  const year = referenceMonth !== undefined && mo > referenceMonth ? referenceYear - 1 : referenceYear;
  const t = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?$/.exec(time);
  if (!t) return undefined;
  const millis = t[4] ? Number(t[4].slice(0, 3).padEnd(3, "0")) : 0;
  const ms = Date.UTC(year, mo, Number(day), Number(t[1]), Number(t[2]), Number(t[3]), millis);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** klog stamps ("I0611 08:16:06.123456") carry month and day only; same year rule as syslog. */
export function klogToUtc(mmdd: string, time: string, referenceYear: number | undefined, referenceMonth: number | undefined): string | undefined {
  const mo = Number(mmdd.slice(0, 2)) - 1;
  const name = Object.keys(months)[mo];
  if (!name) return undefined;
  return syslogToUtc(name, String(Number(mmdd.slice(2, 4))), time, referenceYear, referenceMonth);
}
