import { isAbsolute, relative, sep } from "node:path";

/**
 * How a bundle is named in reports and the index: its path relative to the working
 * directory (absolute when outside it), with `/` separators. Shards run from the same
 * directory with the same arguments therefore name every bundle the same way.
 */
export function bundleKey(absolutePath: string, cwd = process.cwd()): string {
  const rel = relative(cwd, absolutePath);
  const chosen = rel === "" ? "." : rel.startsWith("..") || isAbsolute(rel) ? absolutePath : rel;
  return chosen.split(sep).join("/");
}
