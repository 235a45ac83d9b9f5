const months: Record<string, number> = {
  Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11,
};
const monthNames = Object.keys(months);

/**
 * The UTC form of one whole second, "2025-06-11T08:16:06." (up to the millis), remembered
 * for the last second seen. Only stamps with a zone offset, or with fields out of range
 * (which Date rolls over), come here: the others are written out directly (see `plainUtc`).
 * The key is the stamp's own second and zone, so the result is the same as computing it
 * anew (the millis never carry into the next second).
 */
class SecondCache {
  private key = "";
  prefix: string | undefined;

  holds(key: string): boolean {
    return key === this.key;
  }

  store(key: string, ms: number): void {
    this.key = key;
    // "…T08:16:06.000Z" without its "000Z" (years past 9999 make the string longer).
    this.prefix = Number.isNaN(ms) ? undefined : new Date(ms).toISOString().slice(0, -4);
  }
}

const isoSeconds = new SecondCache();
const syslogSeconds = new SecondCache();

function withMillis(prefix: string | undefined, frac: string | undefined): string | undefined {
  if (prefix === undefined) return undefined;
  return `${prefix}${frac ? frac.slice(0, 3).padEnd(3, "0") : "000"}Z`;
}

function daysIn(year: number, month0: number): number {
  return month0 === 1 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : month0 === 3 || month0 === 5 || month0 === 8 || month0 === 10 ? 30 : 31;
}

/**
 * A UTC stamp whose fields are all in range is its own ISO form: building a Date and
 * formatting it back (a microsecond per line, for every parsed line) gives the same text.
 * Years under 100 are left to Date, which reads them as 19xx. Undefined when Date must decide.
 */
function plainUtc(year: number, month0: number, day: number, h: number, mi: number, s: number): string | undefined {
  if (!(Number.isInteger(year) && Number.isInteger(day) && year >= 100 && year <= 9999 && month0 >= 0 && month0 <= 11 && day >= 1 && day <= daysIn(year, month0) && h <= 23 && mi <= 59 && s <= 59)) return undefined;
  return `${year < 1000 ? "0" : ""}${year}-${month0 < 9 ? "0" : ""}${month0 + 1}-${day < 10 ? "0" : ""}${day}T${h < 10 ? "0" : ""}${h}:${mi < 10 ? "0" : ""}${mi}:${s < 10 ? "0" : ""}${s}.`;
}

/** Normalises an ISO-like stamp ("2025-06-11T08:16:06.123456789Z", "2025-06-11 08:16:06+0200") to UTC ISO. */
export function isoToUtc(stamp: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?\s*(Z|[+-]\d{2}:?\d{2})?/.exec(stamp);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  if (!zone || zone === "Z") {
    const prefix = plainUtc(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
    if (prefix !== undefined) return withMillis(prefix, frac);
  }
  const key = `${y}-${mo}-${d} ${h}:${mi}:${s} ${zone ?? ""}`;
  if (!isoSeconds.holds(key)) {
    let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
    if (zone && zone !== "Z") {
      const sign = zone.startsWith("-") ? -1 : 1;
      const digits = zone.replace(/[+:-]/g, "");
      ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
    }
    isoSeconds.store(key, ms);
  }
  return withMillis(isoSeconds.prefix, frac);
}

/**
 * Syslog stamps ("Jun 11 08:16:06") carry no year. The year is the reference's (a full date
 * in the file, else the bundle's collection date, else the file's modification time): a
 * stamp later in the year than the reference belongs to the year before.
 */
export function syslogToUtc(month: string, day: string, time: string, referenceYear: number | undefined, referenceMonth: number | undefined): string | undefined {
  const mo = months[month];
  if (mo === undefined || referenceYear === undefined) return undefined;
  const year = referenceMonth !== undefined && mo > referenceMonth ? referenceYear - 1 : referenceYear;
  const t = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?$/.exec(time);
  if (!t) return undefined;
  const prefix = plainUtc(year, mo, Number(day), Number(t[1]), Number(t[2]), Number(t[3]));
  if (prefix !== undefined) return withMillis(prefix, t[4]);
  const key = `${year} ${mo} ${day} ${t[1]}:${t[2]}:${t[3]}`;
  if (!syslogSeconds.holds(key)) syslogSeconds.store(key, Date.UTC(year, mo, Number(day), Number(t[1]), Number(t[2]), Number(t[3])));
  return withMillis(syslogSeconds.prefix, t[4]);
}

/** klog stamps ("I0611 08:16:06.123456") carry month and day only; same year rule as syslog. */
export function klogToUtc(mmdd: string, time: string, referenceYear: number | undefined, referenceMonth: number | undefined): string | undefined {
  const mo = Number(mmdd.slice(0, 2)) - 1;
  const name = monthNames[mo];
  if (!name) return undefined;
  return syslogToUtc(name, String(Number(mmdd.slice(2, 4))), time, referenceYear, referenceMonth);
}
