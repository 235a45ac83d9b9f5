/**
 * Secrets never reach a report: every string of the report passes through here before any
 * renderer sees it. Findings are computed on the original text; only output is redacted.
 */
interface Rule {
  kind: string;
  pattern: RegExp;
  /** Replacement; "$1"-style groups keep the non-secret context (the key name, the URL host). */
  replacement: string;
}

const marker = (kind: string): string => `[REDACTED:${kind}]`;
// A value that is already a marker must not be redacted again.
const value = String.raw`([^\s"',;}{\[\]][^\s"',;}{\]]{2,})`;

const rules: Rule[] = [
  { kind: "private-key", pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g, replacement: marker("private-key") },
  { kind: "jwt", pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, replacement: marker("jwt") },
  { kind: "bearer", pattern: /(\b[Bb]earer\s+)([A-Za-z0-9._~+/=-]{8,})/g, replacement: `$1${marker("bearer")}` },
  { kind: "kubeconfig-data", pattern: /(\b(?:client-key-data|client-certificate-data|certificate-authority-data)"?\s*[:=]\s*"?)([A-Za-z0-9+/=._-]{16,})/g, replacement: `$1${marker("kubeconfig-data")}` },
  { kind: "k0s-join-token", pattern: /\bH4sI[A-Za-z0-9+/=]{40,}/g, replacement: marker("join-token") },
  { kind: "bootstrap-token", pattern: /\b[a-z0-9]{6}\.[a-z0-9]{16}\b/g, replacement: marker("bootstrap-token") },
  { kind: "aws-access-key", pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, replacement: marker("aws-access-key") },
  { kind: "url-credentials", pattern: /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)([^\s@/]+)(@)/gi, replacement: `$1${marker("url-credentials")}$3` },
  {
    kind: "secret",
    pattern: new RegExp(String.raw`(\b[\w.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?)[\w.-]*"?\s*[:=]\s*"?)` + value, "gi"),
    replacement: `$1${marker("secret")}`,
  },
];

export function redactText(text: string): string {
  let out = text;
  for (const rule of rules) out = out.replace(rule.pattern, rule.replacement);
  return out;
}

/** A deep copy of `value` with every string redacted. */
export function redactDeep<T>(input: T): T {
  if (typeof input === "string") return redactText(input) as T;
  if (Array.isArray(input)) return input.map((v) => redactDeep(v)) as T;
  if (input && typeof input === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(input as Record<string, unknown>)) out[k] = redactDeep(v);
    return out as T;
  }
  return input;
}
