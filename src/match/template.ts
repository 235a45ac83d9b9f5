interface Masker {
  re: RegExp;
  replacement: string;
  /**
   * A necessary condition for `re` to match, much cheaper to test: a part every match
   * contains, as a regex with no `\b`, no alternation of long branches and no lazy repeat
   * to backtrack. When it fails, `re` is skipped. These scans
   * are most of the time spent on lines no pattern knows, and most lines have no UUID, no
   * IPv6 address and no pod name. test/fast-paths.test.ts holds the unfiltered version.
   */
  mayMatch?: RegExp;
}

const maskers: Masker[] = [
  // A klog header inside the message (journald and CRI wrap klog lines): not part of the shape.
  { re: /^[IWEF]\d{4} \d{2}:\d{2}:\d{2}\.\d+\s+\d+ [^\]\s]+\] /, replacement: "", mayMatch: /^[IWEF]\d{4} / },
  { re: /\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?/g, replacement: "<TIME>", mayMatch: /\d[T ]\d\d:/ },
  { re: /\b\d{2}:\d{2}:\d{2}(?:[.,]\d+)?\b/g, replacement: "<TIME>", mayMatch: /\d:\d\d:\d/ },
  { re: /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, replacement: "<UUID>", mayMatch: /-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-/i },
  { re: /\b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?\b/g, replacement: "<IP>", mayMatch: /\d\.\d{1,3}\.\d{1,3}\.\d/ },
  {
    re: /\b(?:[0-9a-f]{1,4}:){3,7}[0-9a-f]{1,4}(?:\/\d+)?\b|\b(?:[0-9a-f]{1,4}:){1,6}:(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,5})?(?:\/\d+)?|::[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,6}(?:\/\d+)?/gi,
    replacement: "<IP6>",
    // Three groups or more hold "h:hhhh:h"; the shorter forms hold "::".
    mayMatch: /::|[0-9a-f]:[0-9a-f]{1,4}:[0-9a-f]/i,
  },
  // No cheaper test here: without the word boundaries, a 12-character hex run is tried at every letter.
  { re: /\b[0-9a-f]{12,}\b/gi, replacement: "<HEX>" },
  // pod names: deployment-<rs hash>-<pod hash>, daemonset-<hash>
  { re: /\b([a-z][a-z0-9-]*?)-[a-z0-9]{8,10}-[a-z0-9]{5}\b/g, replacement: "$1-<POD>", mayMatch: /-[a-z0-9]{8,10}-[a-z0-9]{5}/ },
  { re: /\b([a-z][a-z0-9-]*?)-[bcdfghjklmnpqrstvwxz2-9]{5}\b/g, replacement: "$1-<POD>", mayMatch: /-[bcdfghjklmnpqrstvwxz2-9]{5}/ },
  { re: /\b\d+(?:\.\d+)?(?:ms|s|µs|us|ns|m|h|Mi|Gi|Ki|MB|GB|KB|%)?\b/g, replacement: "<N>", mayMatch: /\d/ },
];

/**
 * Reduces a log message to its shape: variable parts (addresses, numbers, ids, hashes)
 * become placeholders, so "dial tcp 10.0.0.1:443" and "dial tcp 10.0.0.2:443" group together.
 */
export function templateOf(message: string): string {
  let t = message.length > 400 ? message.slice(0, 400) : message;
  for (const { re, replacement, mayMatch } of maskers) {
    if (mayMatch && !mayMatch.test(t)) continue;
    t = t.replace(re, replacement);
  }
  return t.replace(/\s+/g, " ").trim();
}
