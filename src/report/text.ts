import { escapeControlChars } from "../ingest/paths.js";
import { formatUtc } from "./timeline-scale.js";

/** Inline code that survives any backticks in the text, and no control characters. */
export function inlineCode(text: string): string {
  const clean = escapeControlChars(text);
  const longest = Math.max(0, ...[...clean.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  const pad = clean.startsWith("`") || clean.endsWith("`") ? " " : "";
  return `${fence}${pad}${clean}${pad}${fence}`;
}

/** A fenced block that the text inside cannot close early. */
export function codeBlock(text: string, lang = ""): string {
  const clean = escapeControlChars(text.replace(/\r?\n/g, "\n")).replace(/\\x0a/g, "\n");
  const longest = Math.max(2, ...[...clean.matchAll(/`{3,}/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  return `${fence}${lang}\n${clean}\n${fence}`;
}

/** Text for a table cell or a sentence: Markdown and HTML metacharacters neutralised. */
export function plainText(text: string): string {
  return escapeControlChars(text).replace(/[\\`*_{}[\]<>()#+!|~]/g, (c) => `\\${c}`);
}

export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** "2025-05-05 15:03:47 → 17:02:06" (UTC); the second date only when the day changes. */
export function formatSpan(first?: string, last?: string): string {
  if (!first && !last) return "unknown";
  if (!first || !last || first === last) return formatUtc((first ?? last) as string);
  const end = first.slice(0, 10) === last.slice(0, 10) ? formatUtc(last).slice(11) : formatUtc(last);
  return `${formatUtc(first)} → ${end}`;
}

/**
 * A Markdown field (a finding's summary, cause, fix) made inert for any viewer, sanitising
 * or not: its values come from the bundle. Outside code, raw HTML is escaped, images become
 * plain text and only http(s), in-page and docs/ links stay links. Code blocks and code
 * spans are left alone: they render as text anyway, and commands must stay copy-ready.
 */
export function safeMarkdown(markdown: string): string {
  let fence: string | undefined;
  return markdown
    .split("\n")
    .map((line) => {
      const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
      if (fence) {
        if (marker && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = undefined;
        return line;
      }
      if (marker) {
        fence = marker;
        return line;
      }
      return line
        .split(/(`+[^`]*?`+)/)
        .map((part, i) => (i % 2 === 1 ? part : inertText(part)))
        .join("");
    })
    .join("\n");
}

function inertText(text: string): string {
  return (
    text
      .replace(/</g, "\\<")
      .replace(/!\[/g, "!\\[")
      // [text](scheme:...) with any scheme but http(s): no longer a link.
      .replace(/\]\(\s*(?!https?:\/\/|#|docs\/)([a-z][a-z0-9+.-]*:)/gi, "]\\($1")
      // [id]: scheme:... reference definitions likewise.
      .replace(/^(\s{0,3})\[([^\]]*)\]:\s*(?!https?:\/\/)/, "$1\\[$2]: ")
  );
}

/** "Kubernetes v1.24.4 (k3s v1.24.4+k3s1)"; several Kubernetes versions (skew) are all named. */
export function formatVersions(versions: { kubernetes: string[]; distribution: string[] } | undefined): string {
  if (!versions || (versions.kubernetes.length === 0 && versions.distribution.length === 0)) return "unknown";
  const k8s = versions.kubernetes.length ? `Kubernetes ${versions.kubernetes.join(", ")}` : "";
  const dist = versions.distribution.join(", ");
  return k8s && dist ? `${k8s} (${dist})` : k8s || dist;
}
