import { lstat, readdir, realpath } from "node:fs/promises";
import { join, resolve } from "node:path";
import { BundleAnalyzeError } from "../errors.js";
import { bundleKey } from "./bundle-key.js";
import { hasArchiveName, isBundleFolder } from "./bundle-folder.js";
import { expandGlob, hasGlobChars } from "./glob.js";
import { compareStrings } from "./sort.js";

export interface DiscoveredBundle {
  /** Absolute path of the archive or folder. */
  path: string;
  /** Name in reports and the index (see bundleKey). */
  key: string;
  kind: "file" | "folder";
}

export interface DiscoverOptions {
  cwd?: string;
  /** Folders never searched (the output folder, which may sit inside the input). */
  exclude?: string[];
}

/**
 * Finds the bundles an argument list names. A file argument is a bundle whatever its
 * name; a folder argument is a bundle when it looks like one (isBundleFolder), otherwise
 * it is searched: archives by name, bundle folders by the same rule, other folders
 * recursively; a folder named on the command line in which no bundle is found is taken as
 * one bundle (as `bundle-analyze <folder>` would). An argument that is not an existing path
 * but contains glob characters is expanded. Links are not followed. Sorted by key; each
 * bundle once.
 */
export async function discoverBundles(inputs: string[], options: DiscoverOptions = {}): Promise<DiscoveredBundle[]> {
  const cwd = options.cwd ?? process.cwd();
  const exclude = new Set((options.exclude ?? []).map((d) => resolve(cwd, d)));
  const found = new Map<string, DiscoveredBundle>();
  const add = async (path: string, kind: DiscoveredBundle["kind"]): Promise<void> => {
    const real = await realpath(path).catch(() => path);
    if (!found.has(real)) found.set(real, { path, key: bundleKey(path, cwd), kind });
  };

  const search = async (dir: string): Promise<void> => {
    if (exclude.has(dir)) return;
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    entries.sort((a, b) => compareStrings(a.name, b.name));
    for (const e of entries) {
      const full = join(dir, e.name);
      if (e.isFile() && hasArchiveName(e.name)) await add(full, "file");
      else if (e.isDirectory() && !exclude.has(full)) {
        if (await isBundleFolder(full)) await add(full, "folder");
        else await search(full);
      }
    }
  };

  const takeArgument = async (path: string, explicit: boolean): Promise<boolean> => {
    const info = await lstat(path).catch(() => undefined);
    if (!info) return false;
    // A link the user named is followed once, to what it names; links met while searching are not.
    if (info.isSymbolicLink() && explicit) {
      const target = await realpath(path).catch(() => undefined);
      return target ? takeArgument(target, true) : false;
    }
    if (info.isFile()) {
      if (explicit || hasArchiveName(path)) await add(path, "file");
    } else if (info.isDirectory()) {
      if (await isBundleFolder(path)) await add(path, "folder");
      else {
        const before = found.size;
        await search(path);
        if (explicit && found.size === before && !exclude.has(path)) await add(path, "folder");
      }
    }
    return true;
  };

  for (const input of inputs) {
    const path = resolve(cwd, input);
    if (await takeArgument(path, true)) continue;
    if (!hasGlobChars(input)) throw new BundleAnalyzeError(`cannot open ${input}: no such file or folder`, "E_INPUT_NOT_FOUND");
    // A glob names bundles directly: a matched file is one, a matched folder is looked at.
    for (const match of await expandGlob(input, cwd)) await takeArgument(match, true);
  }
  return [...found.values()].sort((a, b) => compareStrings(a.key, b.key));
}
