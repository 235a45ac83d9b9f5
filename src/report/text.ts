import { escapeControlChars } from "../ingest/paths.js";

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

export function formatSpan(first?: string, last?: string): string {
  if (!first && !last) return "unknown";
  if (first === last || !last) return first ?? "unknown";
  return `${first} → ${last}`;
}
