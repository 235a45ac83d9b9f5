/**
 * Archive entry names are attacker-controlled. They are only ever displayed and matched,
 * never used to open or create files; this makes them safe and readable for display.
 */
export interface NormalizedPath {
  path: string;
  /** The raw name was absolute or climbed out with "..". */
  unsafe: boolean;
}

export function normalizeEntryPath(raw: string): NormalizedPath {
  let unsafe = false;
  const visible = escapeControlChars(raw.replace(/\\/g, "/"));
  if (visible.startsWith("/") || /^[A-Za-z]:\//.test(visible)) unsafe = true;
  const parts: string[] = [];
  for (const part of visible.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      unsafe = true;
      parts.pop();
      continue;
    }
    parts.push(part);
  }
  return { path: parts.join("/") || "(unnamed)", unsafe };
}

/** Terminal escapes and other control characters become visible "\xNN" text. */
export function escapeControlChars(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

export function joinBundlePath(prefix: string, path: string): string {
  return prefix ? `${prefix}/${path}` : path;
}

export function baseName(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? path : path.slice(i + 1);
}

export function dirName(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "" : path.slice(0, i);
}
