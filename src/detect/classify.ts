import { baseName } from "../ingest/paths.js";
import { looksLikeIpAddr, looksLikeIpAddrJson } from "../parse/facts/ip-addr.js";
import { looksLikeK0sConfig } from "../parse/facts/k0s-config.js";
import { looksLikeKubeObjects } from "../parse/facts/kube-objects.js";
import { looksLikeVersionInfo } from "../parse/facts/server-version.js";
import { looksLikeKubesprayVars } from "../parse/facts/kubespray.js";
import { looksLikeServiceStatus } from "../parse/facts/services.js";
import { looksLikeSysctl } from "../parse/facts/sysctl.js";

/** What a file is. Fact kinds are parsed whole (size-capped); `log` is streamed line by line. */
export type FileKind =
  | "hostname"
  | "ip-addr"
  | "sysctl"
  | "service-status"
  | "k0s-config"
  | "kubespray-vars"
  | "kube-objects"
  | "helm-values"
  | "server-version"
  | "log"
  | "config"
  | "data"
  | "binary"
  | "empty";

export const factKinds: ReadonlySet<FileKind> = new Set<FileKind>([
  "hostname",
  "ip-addr",
  "sysctl",
  "service-status",
  "k0s-config",
  "kubespray-vars",
  "kube-objects",
  "helm-values",
  "server-version",
]);

/**
 * Classifies by content first and path second: customers rename files, but `ip addr`
 * output always looks like `ip addr` output.
 */
export function classifyFile(path: string, head: string, binary: boolean): FileKind {
  // The collector passes no head text for binary files: test binary first.
  if (binary) return "binary";
  if (head.length === 0) return "empty";
  const name = baseName(path).toLowerCase();
  const isStructured = /\.(ya?ml|json)$/.test(name) || /^\s*[[{]/.test(head) || ((head.includes("apiVersion:") || head.includes("kind:")) && /^(apiVersion|kind):/m.test(head));

  // proc/sys/kernel/hostname in a sosreport is the collector's namespace, not the node's name.
  if (name === "hostname" && !/(^|\/)proc\//.test(path) && head.length < 256 && /^[A-Za-z0-9._-]+\s*$/.test(head)) return "hostname";
  if (looksLikeIpAddrJson(head) || (!isStructured && looksLikeIpAddr(head))) return "ip-addr";
  if (name.includes("sysctl") && (/\.json$/.test(name) || /^\s*\{/.test(head))) return "sysctl";
  if (!isStructured && looksLikeSysctl(head)) return "sysctl";
  if (looksLikeServiceStatus(head) && (/systemctl|service|firewalld|status/.test(name) || !isStructured)) return "service-status";
  if (looksLikeVersionInfo(name, head)) return "server-version";
  if (looksLikeK0sConfig(head, path)) return "k0s-config";
  if (isStructured && looksLikeKubesprayVars(path, head)) return "kubespray-vars";
  if (isStructured && /(^|[\/_-])(values|helm)[^/]*\.ya?ml$/.test(name) && !/^kind:/m.test(head)) return "helm-values";
  if (isStructured && looksLikeKubeObjects(head)) return "kube-objects";
  if (isStructured && /\.(ya?ml|json)$/.test(name) && /k8sServiceHost/.test(head)) return "helm-values";
  // Copied system configuration (sosreport's etc/, proc/, sys/ trees) is not log text either.
  if (isSystemCopy(path)) return "config";
  // Structured data we do not model (analysis.json, RBAC dumps...) is not log text:
  // matching it line by line would only produce false hits. JSON-lines logs stay logs.
  if (/\.(ya?ml|json)$/.test(name) && !isJsonLines(head)) return "data";
  return "log";
}

function isSystemCopy(path: string): boolean {
  if (/(^|\/)var\/log\//.test(path)) return false;
  return /(^|\/)(etc|proc|sys|usr|lib|boot)\//.test(path) || /\.(conf|cfg|ini|service|socket|timer|rules|profile|sh|py|pem|crt)$/i.test(path);
}

/** JSON-lines logs: objects with a log-ish field. A collector's one-line result ({"exitCode":1,"error":""}) is data. */
function isJsonLines(head: string): boolean {
  const first = head.split("\n", 1)[0] ?? "";
  return /^\{.*\}\s*$/.test(first) && /"(msg|message|log|level|severity|ts|time|timestamp|@timestamp|MESSAGE|__REALTIME_TIMESTAMP)"\s*:/.test(first);
}

/** The program that wrote a log file, guessed from the bundle's conventional paths. */
export function componentFromPath(path: string): string | undefined {
  // CRI: var/log/pods/<ns>_<pod>_<uid>/<container>/0.log
  let m = /(?:^|\/)pods\/[^/_]+_([^/_]+)_[^/]+\/([^/]+)\/[^/]+$/.exec(path);
  if (m) return m[2];
  // troubleshoot: cluster-resources/pods/logs/<ns>/<pod>/<container>[-previous].log
  m = /(?:^|\/)pods\/logs\/[^/]+\/[^/]+\/([^/]+?)(?:-previous)?\.log$/.exec(path);
  if (m) return m[1];
  // var/log/containers/<pod>_<ns>_<container>-<id>.log
  m = /(?:^|\/)containers\/[^/_]+_[^/_]+_(.+)-[0-9a-f]{64}\.log$/.exec(path);
  if (m) return m[1];
  // journalctl_--no-pager_--unit_kubelet, journal-k0scontroller.log, kubelet.log
  m = /(?:unit[_=-]|journal[_-]|journalctl[_-]u[_-]?)([a-z0-9@.-]+?)(?:\.service)?(?:\.log|\.txt)?$/i.exec(baseName(path));
  if (m) return m[1];
  const base = baseName(path).replace(/(-previous)?\.(log|txt)(\.\d+)?$/, "");
  return base || undefined;
}

/** Namespace and pod name of a pod log, from the path. */
export function podFromPath(path: string): { namespace: string; pod: string } | undefined {
  let m = /(?:^|\/)pods\/([^/_]+)_([^/_]+)_[^/]+\/[^/]+\/[^/]+$/.exec(path);
  if (m) return { namespace: m[1] ?? "", pod: m[2] ?? "" };
  m = /(?:^|\/)pods\/logs\/([^/]+)\/([^/]+)\/[^/]+$/.exec(path);
  if (m) return { namespace: m[1] ?? "", pod: m[2] ?? "" };
  return undefined;
}
