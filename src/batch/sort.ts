/**
 * Code-unit order. localeCompare depends on the machine's ICU locale, and shard outputs
 * merged on one machine must sort exactly as a single run on another.
 */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
