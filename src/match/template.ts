/**
 * Reduces a log message to its shape: variable parts (addresses, numbers, ids, hashes)
 * become placeholders, so "dial tcp 10.0.0.1:443" and "dial tcp 10.0.0.2:443" group together.
 */
const maskers: [RegExp, string][] = [
  // A klog header inside the message (journald and CRI wrap klog lines): not part of the shape.
  [/^[IWEF]\d{4} \d{2}:\d{2}:\d{2}\.\d+\s+\d+ [^\]\s]+\] /, ""],
  [/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?/g, "<TIME>"],
  [/\b\d{2}:\d{2}:\d{2}(?:[.,]\d+)?\b/g, "<TIME>"],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, "<UUID>"],
  [/\b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?\b/g, "<IP>"],
  [/\b(?:[0-9a-f]{1,4}:){3,7}[0-9a-f]{1,4}(?:\/\d+)?\b|\b(?:[0-9a-f]{1,4}:){1,6}:(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,5})?(?:\/\d+)?|::[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,6}(?:\/\d+)?/gi, "<IP6>"],
  [/\b[0-9a-f]{12,}\b/gi, "<HEX>"],
  // pod names: deployment-<rs hash>-<pod hash>, daemonset-<hash>
  [/\b([a-z][a-z0-9-]*?)-[a-z0-9]{8,10}-[a-z0-9]{5}\b/g, "$1-<POD>"],
  [/\b([a-z][a-z0-9-]*?)-[bcdfghjklmnpqrstvwxz2-9]{5}\b/g, "$1-<POD>"],
  [/\b\d+(?:\.\d+)?(?:ms|s|µs|us|ns|m|h|Mi|Gi|Ki|MB|GB|KB|%)?\b/g, "<N>"],
];

export function templateOf(message: string): string {
  let t = message.length > 400 ? message.slice(0, 400) : message;
  for (const [re, replacement] of maskers) t = t.replace(re, replacement);
  return t.replace(/\s+/g, " ").trim();
}
