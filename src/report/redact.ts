/**
 * Secrets never reach a report: every string of the report passes through here before any
 * renderer sees it. Findings are computed on the original text; only output is redacted.
 *
 * Report strings are bundle text, so every expression here must stay linear on hostile
 * input (64 KiB lines of "pwd.pwd.pwd..."): no two overlapping loops in a row, and a
 * loop that starts a match only starts where its run of characters starts (lookbehind).
 */
interface Rule {
  kind: string;
  pattern: RegExp;
  /** Replacement; "$1"-style groups keep the non-secret context (the key name, the URL host). */
  replacement: string | ((match: string, ...groups: string[]) => string);
}

const marker = (kind: string): string => `[REDACTED:${kind}]`;

const rules: Rule[] = [
  // PEM blocks, also inside JSON strings ("\n" escaped); a block cut off by truncation is redacted to the end.
  { kind: "private-key", pattern: /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----|$)/g, replacement: marker("private-key") },
  // The same, base64-encoded (Kubernetes Secret data, kubeconfig *-data): "-----BEGIN" is "LS0tLS1CRUdJTi".
  { kind: "pem-base64", pattern: /(?<![A-Za-z0-9+/])LS0tLS1CRUdJTi[A-Za-z0-9+/=]{20,}/g, replacement: marker("pem-base64") },
  // Tokens with a known prefix are matched from 8 characters on: report building may have cut one short.
  { kind: "jwt", pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*)?/g, replacement: marker("jwt") },
  // A service-account token as stored in a Secret: base64 of a JWT ("eyJ" -> "ZXlK").
  { kind: "jwt-base64", pattern: /(?<![A-Za-z0-9+/])ZXlK[A-Za-z0-9+/=]{40,}/g, replacement: marker("jwt") },
  { kind: "bearer", pattern: /(\b[Bb]earer\s+)([A-Za-z0-9._~+/=-]{8,})/g, replacement: `$1${marker("bearer")}` },
  { kind: "basic-auth", pattern: /(\b[Bb]asic\s+)([A-Za-z0-9+/]{6,}={0,2})(?![A-Za-z0-9+/=])/g, replacement: (m, prefix: string, b64: string) => (isBasicCredential(b64) ? `${prefix}${marker("basic-auth")}` : m) },
  // Other schemes ("Authorization: Token abc"): the credentials after the scheme. A bare
  // value is left to the key=value rule, so prose ("may require authorization: server
  // message...") stays readable.
  {
    kind: "authorization",
    pattern: /(\b[Aa]uthorization\\?"?[ \t]*[:=][ \t]*\\?"?(?:Token|Digest|Negotiate|NTLM|AWS4-HMAC-SHA256|SharedKey|SharedAccessSignature|ApiKey|Key|Hawk|OAuth|MAC|Bearer|Basic)[ \t]+)(?!\[REDACTED)([^"\\\s][^"\\\n]*)/gi,
    replacement: `$1${marker("authorization")}`,
  },
  // kubeconfig client-key-data, client-certificate-data, certificate-authority-data, token-data...
  { kind: "kubeconfig-data", pattern: /(?<![\w-])([\w-]+-data\\?"?\s*[:=]\s*\\?"?)([A-Za-z0-9+/=._-]{16,})/g, replacement: `$1${marker("kubeconfig-data")}` },
  { kind: "k0s-join-token", pattern: /(?<![A-Za-z0-9+/])H4sI[A-Za-z0-9+/=]{16,}/g, replacement: marker("join-token") },
  { kind: "bootstrap-token", pattern: /\b[a-z0-9]{6}\.[a-z0-9]{16}\b/g, replacement: marker("bootstrap-token") },
  { kind: "aws-access-key", pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{8,}/g, replacement: marker("aws-access-key") },
  { kind: "gcp-api-key", pattern: /\bAIza[0-9A-Za-z_-]{8,}/g, replacement: marker("gcp-api-key") },
  { kind: "github-token", pattern: /\bgh[pousr]_[A-Za-z0-9]{8,}|\bgithub_pat_[A-Za-z0-9_]{8,}/g, replacement: marker("github-token") },
  { kind: "slack-token", pattern: /\bxox[abprs]-(?:[A-Za-z0-9-]|<[A-Z0-9]+>){8,}/g, replacement: marker("slack-token") },
  // scheme://user:password@host, also with an empty user (redis://:password@host).
  { kind: "url-credentials", pattern: /((?<![a-z0-9+.-])[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)([^\s@/]+)(@)/gi, replacement: `$1${marker("url-credentials")}$3` },
  // --password hunter2, --token abc (flags with a space before the value).
  { kind: "secret-flag", pattern: /(?<![\w-])(--?[\w-]+)(\s+)((?!-)[^\s"']+)/g, replacement: (m, flag: string, space: string, value: string) => (isSecretKey(flag, value) && !isPlaceholder(value) ? `${flag}${space}${marker("secret")}` : m) },
];

/** key=value, key: value, "key": "value", export KEY=value, Password=x; (connection strings), ?sig=x&... */
const keyValue = /(?<![\w.-])([\w.-]+)(\\?"?[ \t]*[:=][ \t]*)(?:(\\?"|')((?:(?!\3)[^\n])*)|([^\s"',;&}{[\]=:][^\s"',;&}{\]=:]*))/g;
/**
 * An unquoted value stops at "=" and ":" while scanning, so that a:b:c:d... is read in one
 * pass; a secret's value then runs on to the end of its token (password=ab:cd=).
 */
const restOfToken = /[^\s"',;&}{\]]*/y;

/** Key names that hold secrets; checked on the whole key, so the expression above stays linear. */
const secretKey = /password|passwd|passphrase|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|accountkey|private[_-]?key|client[_-]?key|certificate[_-]?key|credential|authorization|^(?:basic|http|proxy)?[_-]?auth$|^sig$|signature|dockerconfigjson|sessionkey/i;
/** Keys that name where a secret is, not the secret: tokenFile, secretName, passwordRef; source files (klog's secret.go:20). */
const referenceKey = /(?:name|names|file|path|dir|ref|type|ttl|length|count|seconds|expiry|mode|enabled|required|\.(?:go|py|js|ts|rs|c|cc|java|sh|rb))$/i;

function isSecretKey(key: string, value = ""): boolean {
  const bare = key.replace(/^-+/, "");
  // PWD and OLDPWD in an environment dump are folders, not passwords.
  if (/^(?:old)?pwd$/i.test(bare) && value.startsWith("/")) return false;
  return secretKey.test(bare) && !referenceKey.test(bare);
}

/** Values that are no secret and that a reader needs to see as they are. */
function isPlaceholder(value: string): boolean {
  return /^(?:true|false|null|none|nil|<nil>|<[^<>]*>|bearer|basic|\*+|x+|redacted|\[REDACTED:[\w-]+\]|\$\{?\w+\}?|\{\{.*\}\})$/i.test(value) || value.startsWith("[REDACTED:");
}

/**
 * "join token: illegal base64 data" is a sentence, not a secret: a bare value after a colon
 * that is a plain word with more words after it on the line is left alone. A YAML value
 * (last on its line) or anything with digits, capitals inside, symbols or 16+ characters
 * is still redacted.
 */
function isProse(text: string, end: number, value: string): boolean {
  endOfLine.lastIndex = end;
  if (endOfLine.test(text)) return false;
  return value.length < 16 && /^[A-Za-z][a-z-]*$/.test(value);
}
const endOfLine = /[ \t]*(?:\r?\n|$)/y;

function isBasicCredential(b64: string): boolean {
  const decoded = Buffer.from(b64, "base64").toString("latin1");
  return /^[\x20-\x7e]+:[\x20-\x7e]*$/.test(decoded);
}

function redactKeyValues(text: string): string {
  let out = "";
  let done = 0;
  const scan = new RegExp(keyValue.source, "g");
  for (let m = scan.exec(text); m; m = scan.exec(text)) {
    const [whole, key = "", separator = "", quote, quoted, bare] = m;
    let value = quoted ?? bare ?? "";
    let end = m.index + whole.length;
    const secret = isSecretKey(key, value);
    if (secret && bare !== undefined) {
      restOfToken.lastIndex = end;
      end += restOfToken.exec(text)?.[0].length ?? 0;
      value = text.slice(m.index + key.length + separator.length, end);
    }
    if (secret && value !== "" && !isPlaceholder(value) && !(bare !== undefined && separator.includes(":") && isProse(text, end, value))) {
      out += `${text.slice(done, m.index)}${key}${separator}${quote ?? ""}${marker("secret")}`;
      done = end;
      scan.lastIndex = end;
    } else {
      // Not a secret key, but its value may hold one (config=password=x): scan on from the value.
      scan.lastIndex = m.index + key.length + separator.length + (quote?.length ?? 0);
    }
  }
  return out + text.slice(done);
}

export function redactText(text: string): string {
  let out = text;
  for (const rule of rules) {
    const { pattern, replacement } = rule;
    out = typeof replacement === "string" ? out.replace(pattern, replacement) : out.replace(pattern, replacement);
  }
  return redactKeyValues(out);
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
