/**
 * When the bundle was collected, as the collector recorded it. Syslog and klog stamps have
 * no year; without a full date in the same file they take it from this, and only without
 * it from the archive entry's modification time, which is wrong for a bundle that was
 * unpacked and packed again (a 2022 sosreport re-packed today dated its logs today).
 */

const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** troubleshoot names its root folder after the collection time: support-bundle-2025-06-11T08_00_00. */
export function collectionDateFromPath(path: string): Date | undefined {
  const m = /(?:^|\/)support-bundle-(\d{4})-(\d{2})-(\d{2})T(\d{2})_(\d{2})_(\d{2})(?:\/|$)/.exec(path);
  if (!m) return undefined;
  return validDate(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
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
