import { readdir } from "node:fs/promises";
import { join } from "node:path";

// Archive names batch picks up when it walks a folder (an explicitly named file is taken whatever its name).
export { archiveSuffixes, hasArchiveName } from "../ingest/archive-names.js";

/** Top-level entries that only a support bundle has (troubleshoot.sh, sosreport). */
const markerDirs = new Set(["cluster-resources", "host-collectors", "sos_commands", "sos_reports"]);
const markerFiles = new Set(["version.yaml", "k0s.yaml"]);

/**
 * The rule, documented in docs/batch.md. A folder is one bundle when
 *  1. it holds `version.yaml`, `cluster-resources/`, `host-collectors/`, `sos_commands/` or
 *     `sos_reports/` (troubleshoot.sh and sosreport layouts), `k0s.yaml` (k0s), or a
 *     `hostname` file (one node's collection); or
 *  2. it looks like a multi-node collection: a sub-folder holds a `hostname` file and no
 *     sub-folder is itself a bundle by rule 1's folder and file markers (which would make
 *     this folder a collection of bundles instead).
 * Otherwise it is a folder of bundles and batch looks inside it (see discoverBundles for
 * a folder named on the command line in which nothing is found).
 */
export async function isBundleFolder(dir: string): Promise<boolean> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    if (e.isDirectory() && markerDirs.has(e.name)) return true;
    if (e.isFile() && (markerFiles.has(e.name) || e.name === "hostname")) return true;
  }
  let nodeFolders = 0;
  for (const e of entries) {
    if (!e.isDirectory()) continue;
    const inner = await readdir(join(dir, e.name), { withFileTypes: true }).catch(() => []);
    if (inner.some((i) => (i.isDirectory() && markerDirs.has(i.name)) || (i.isFile() && markerFiles.has(i.name)))) return false;
    if (inner.some((i) => i.isFile() && i.name === "hostname")) nodeFolders++;
  }
  return nodeFolders > 0;
}
