/**
 * When the bundle was collected, as the collector recorded it. Syslog and klog stamps have
 * no year; without a full date in the same file they take it from this, and only without
 * it from the archive entry's modification time, which is wrong for a bundle that was
 * unpacked and packed again (a 2022 sosreport re-packed today dated its logs today).
 */

const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * The collection time some collectors put in the root folder's name, which is the first
 * thing a streamed archive shows:
 * - troubleshoot: support-bundle-2025-06-11T08_00_00
 * - sosreport 4 ("friendly" names): sosreport-<host>[-<label>][-<case>]-2022-02-11-<7 letters>
 * - sosreport 3 and sos 4 "legacy" names: sosreport-<host>[.<case>]-20220211192339
 * A renamed folder (as in many attached bundles) has none; sos_commands/date/date still tells.
 */
export function collectionDateFromPath(path: string): Date | undefined {
  const troubleshoot = /(?:^|\/)support-bundle-(\d{4})-(\d{2})-(\d{2})T(\d{2})_(\d{2})_(\d{2})(?:\/|$)/.exec(path);
  if (troubleshoot) return utc(troubleshoot.slice(1));
  const friendly = /(?:^|\/)sosreport-[^/]*?-(\d{4})-(\d{2})-(\d{2})-[a-z]{7}(?:\/|$)/.exec(path);
  if (friendly) return utc([...friendly.slice(1), "0", "0", "0"]);
  const legacy = /(?:^|\/)sosreport-[^/]*?-(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\/|$)/.exec(path);
  if (legacy) return utc(legacy.slice(1));
  return undefined;
}

function utc(parts: (string | undefined)[]): Date | undefined {
  const [y, mo, d, h, mi, s] = parts.map(Number) as [number, number, number, number, number, number];
  // Out-of-range fields (month 13) would roll over into another date: not a collection date.
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return undefined;
  return validDate(Date.UTC(y, mo - 1, d, h, mi, s));
}

/** sosreport runs `date` first thing: sos_commands/date/date. */
export function isCollectionDateFile(path: string): boolean {
  return /(?:^|\/)sos_commands\/date\/date$/.test(path);
}

/**
 * `date` output: "Fri Feb 11 19:23:39 UTC 2022" (any zone name; the zone is not applied:
 * the year and the month are what the stamps need).
 */
export function parseDateOutput(text: string): Date | undefined {
  const m = /\b([A-Z][a-z]{2})\s+(\d{1,2})\s+(\d{2}):(\d{2}):(\d{2})\s+(?:[A-Z][A-Za-z0-9+-]{0,9}\s+)?(\d{4})\b/.exec(text);
  if (!m) return undefined;
  const month = months.indexOf(m[1] as string);
  if (month < 0) return undefined;
  return validDate(Date.UTC(Number(m[6]), month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])));
}

function validDate(ms: number): Date | undefined {
  // A collection date outside these years is a broken clock, not a reference.
  if (Number.isNaN(ms)) return undefined;
  const d = new Date(ms);
  return d.getUTCFullYear() >= 2000 && d.getUTCFullYear() <= 2100 ? d : undefined;
}
