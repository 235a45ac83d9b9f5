/** File names of the archive types bundle-analyze reads (batch picks up these when it walks a folder). */
export const archiveSuffixes = [".tar.gz", ".tgz", ".tar", ".tar.xz", ".txz", ".zip"] as const;

export function hasArchiveName(name: string): boolean {
  const lower = name.toLowerCase();
  return archiveSuffixes.some((s) => lower.endsWith(s));
}
