interface Masker {
  re: RegExp;
  replacement: string;
  /**
   * A character every match contains: when the text lacks it the regex cannot match and
   * is skipped. Exact, and it matters: these scans are most of the time spent on lines no
   * pattern knows.
   */
  needs?: string;
}

const maskers: Masker[] = [
  // A klog header inside the message (journald and CRI wrap klog lines): not part of the shape.
  { re: /^[IWEF]\d{4} \d{2}:\d{2}:\d{2}\.\d+\s+\d+ [^\]\s]+\] /, replacement: "", needs: "]" },
  { re: /\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?/g, replacement: "<TIME>", needs: ":" },
  { re: /\b\d{2}:\d{2}:\d{2}(?:[.,]\d+)?\b/g, replacement: "<TIME>", needs: ":" },
  { re: /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, replacement: "<UUID>", needs: "-" },
  { re: /\b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?\b/g, replacement: "<IP>", needs: "." },
  {
    re: /\b(?:[0-9a-f]{1,4}:){3,7}[0-9a-f]{1,4}(?:\/\d+)?\b|\b(?:[0-9a-f]{1,4}:){1,6}:(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,5})?(?:\/\d+)?|::[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,6}(?:\/\d+)?/gi,
    replacement: "<IP6>",
    needs: ":",
  },
  { re: /\b[0-9a-f]{12,}\b/gi, replacement: "<HEX>" },
  // pod names: deployment-<rs hash>-<pod hash>, daemonset-<hash>
  { re: /\b([a-z][a-z0-9-]*?)-[a-z0-9]{8,10}-[a-z0-9]{5}\b/g, replacement: "$1-<POD>", needs: "-" },
  { re: /\b([a-z][a-z0-9-]*?)-[bcdfghjklmnpqrstvwxz2-9]{5}\b/g, replacement: "$1-<POD>", needs: "-" },
  { re: /\b\d+(?:\.\d+)?(?:ms|s|µs|us|ns|m|h|Mi|Gi|Ki|MB|GB|KB|%)?\b/g, replacement: "<N>" },
];

/**
 * Reduces a log message to its shape: variable parts (addresses, numbers, ids, hashes)
 * become placeholders, so "dial tcp 10.0.0.1:443" and "dial tcp 10.0.0.2:443" group together.
 */
export function templateOf(message: string): string {
  let t = message.length > 400 ? message.slice(0, 400) : message;
  for (const { re, replacement, needs } of maskers) {
    if (needs !== undefined && !t.includes(needs)) continue;
    t = t.replace(re, replacement);
  }
  return t.replace(/\s+/g, " ").trim();
}
