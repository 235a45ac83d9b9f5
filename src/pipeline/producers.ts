import type { FileInfo } from "./file-info.js";

/** Which tools made the bundle, recognised by their marker files. */
export function detectProducers(files: readonly FileInfo[]): string[] {
  const found = new Set<string>();
  for (const f of files) {
    const p = f.path;
    if (/(^|\/)cluster-resources\//.test(p) || /(^|\/)host-collectors\//.test(p) || (/(^|\/)version\.yaml$/.test(p) && f.kind !== "log")) found.add("troubleshoot.sh support-bundle");
    if (/(^|\/)sos_commands\//.test(p) || /(^|\/)sos_reports\/manifest\.json$/.test(p)) found.add("sosreport");
    if (f.kind === "k0s-config" || /(^|\/)k0s[_-]?(status|sysinfo)/.test(p) || /k0s(controller|worker)/.test(p)) found.add("k0s");
    if (f.kind === "kubespray-vars" || /(^|\/)(ansible|cluster\.yml)[^/]*\.log$/.test(p)) found.add("kubespray / Ansible");
    if (/(^|\/)[^/]+\/pods\.json$/.test(p) || /(^|\/)nodes\.json$/.test(p)) found.add("kubectl dump");
  }
  if (found.size === 0) found.add("plain folder of files");
  return [...found].sort();
}
