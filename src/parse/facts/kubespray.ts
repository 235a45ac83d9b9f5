import { asObj, type Obj } from "./access.js";

/** Top-level kubespray variables of a group_vars file or an inventory's `all.vars`. */
export function readKubesprayVars(doc: unknown): Obj {
  const o = asObj(doc);
  if (!o) return {};
  // hosts.yaml: all: { hosts: ..., children: ..., vars: {...} }
  const allVars = asObj(asObj(o.all)?.vars);
  return allVars ? { ...o, ...allVars } : o;
}

/** Line of each top-level `key:` in a YAML file, for file:line evidence. */
export function topLevelKeyLines(text: string): Record<string, number> {
  const lines: Record<string, number> = {};
  const rows = text.split("\n");
  for (let i = 0; i < rows.length; i++) {
    const m = /^\s{0,6}([A-Za-z_][A-Za-z0-9_]*):/.exec(rows[i] ?? "");
    if (m?.[1] && lines[m[1]] === undefined) lines[m[1]] = i + 1;
  }
  return lines;
}

export function looksLikeKubesprayVars(path: string, head: string): boolean {
  if (/(^|\/)(group_vars|host_vars)\//.test(path) && /\.ya?ml$/.test(path)) return true;
  return /^\s{0,6}(kube_network_plugin|kube_version|kube_vip_enabled|metallb_enabled|kube_proxy_mode|cilium_kube_proxy_replacement|kube_service_addresses|kube_pods_subnet)\s*:/m.test(head);
}
