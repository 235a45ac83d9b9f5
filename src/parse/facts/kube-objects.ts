import { asArray, asObj, asString, path, truthy, type Obj } from "./access.js";
import type { KubeContainerEnv, KubeObjects, KubePod, SourceRef } from "./types.js";

/** A Kubernetes Event flattened to one line, so the pattern library can match it like a log line. */
export interface EventLine {
  text: string;
  timestamp?: string;
  node?: string;
  index: number;
}

const kindFromFolder: Record<string, string> = {
  pods: "Pod",
  services: "Service",
  endpoints: "Endpoints",
  nodes: "Node",
  events: "Event",
  configmaps: "ConfigMap",
  deployments: "Deployment",
  daemonsets: "DaemonSet",
  statefulsets: "StatefulSet",
  apiservices: "APIService",
};

/**
 * Reads kubectl / troubleshoot dumps: a List (`kind: List`, `PodList`...), a bare array
 * (older troubleshoot), or a single object. Adds what it understands to `into`.
 */
export function readKubeObjects(doc: unknown, file: string, into: KubeObjects): EventLine[] {
  const events: EventLine[] = [];
  const o = asObj(doc);
  const items = Array.isArray(doc) ? doc : o && Array.isArray(o.items) ? o.items : o ? [o] : [];
  const listKind = asString(o?.kind)?.replace(/List$/, "");
  const folderKind = guessKindFromPath(file);
  items.forEach((item, index) => {
    const obj = asObj(item);
    if (!obj) return;
    const kind = asString(obj.kind) ?? (listKind && listKind !== "" ? listKind : folderKind);
    const source: SourceRef = { file };
    switch (kind) {
      case "Node":
        into.nodes.push(readNode(obj, source));
        break;
      case "Pod":
        into.pods.push(readPod(obj, asObj(obj.spec) ?? {}, asObj(obj.status), source));
        break;
      case "Deployment":
      case "DaemonSet":
      case "StatefulSet": {
        const template = asObj(path(obj, "spec", "template"));
        if (template) {
          const pod = readPod({ metadata: { ...asObj(template.metadata), name: asString(path(obj, "metadata", "name")), namespace: asString(path(obj, "metadata", "namespace")) } }, asObj(template.spec) ?? {}, undefined, source);
          pod.owner = `${kind}/${pod.name}`;
          into.pods.push(pod);
        }
        break;
      }
      case "Service":
        into.services.push({
          namespace: asString(path(obj, "metadata", "namespace")) ?? "default",
          name: asString(path(obj, "metadata", "name")) ?? "",
          clusterIPs: uniq([...asArray(path(obj, "spec", "clusterIPs")).map(asString), asString(path(obj, "spec", "clusterIP"))]),
          ipFamilies: asArray(path(obj, "spec", "ipFamilies")).map(asString).filter((s): s is string => !!s),
          source,
        });
        break;
      case "Endpoints": {
        const addresses: string[] = [];
        const ports: number[] = [];
        for (const subset of asArray(obj.subsets)) {
          for (const a of asArray(asObj(subset)?.addresses)) {
            const ip = asString(asObj(a)?.ip);
            if (ip) addresses.push(ip);
          }
          for (const p of asArray(asObj(subset)?.ports)) {
            const n = Number(asObj(p)?.port);
            if (Number.isFinite(n)) ports.push(n);
          }
        }
        into.endpoints.push({ namespace: asString(path(obj, "metadata", "namespace")) ?? "default", name: asString(path(obj, "metadata", "name")) ?? "", addresses, ports, source });
        break;
      }
      case "APIService": {
        const available = asArray(path(obj, "status", "conditions")).map(asObj).find((c) => asString(c?.type) === "Available");
        into.apiServices.push({
          name: asString(path(obj, "metadata", "name")) ?? "",
          ...(available ? { available: asString(available.status) === "True" } : {}),
          ...(asString(available?.reason) ? { reason: asString(available?.reason) } : {}),
          ...(asString(available?.message) ? { message: asString(available?.message) } : {}),
          source,
        });
        break;
      }
      case "ConfigMap": {
        const data: Record<string, string> = {};
        for (const [k, v] of Object.entries(asObj(obj.data) ?? {})) {
          const s = asString(v);
          if (s !== undefined) data[k] = s;
        }
        into.configMaps.push({ namespace: asString(path(obj, "metadata", "namespace")) ?? "default", name: asString(path(obj, "metadata", "name")) ?? "", data, source });
        break;
      }
      case "Event": {
        const involved = asObj(obj.involvedObject) ?? asObj(obj.regarding) ?? {};
        const message = asString(obj.message) ?? asString(obj.note) ?? "";
        const text = `${asString(obj.type) ?? "Normal"} ${asString(obj.reason) ?? ""} ${asString(involved.kind) ?? ""}/${asString(involved.name) ?? ""}: ${message}`;
        const ts = asString(obj.lastTimestamp) ?? asString(obj.eventTime) ?? asString(obj.firstTimestamp) ?? asString(path(obj, "metadata", "creationTimestamp"));
        const node = asString(path(obj, "source", "host")) ?? (asString(involved.kind) === "Node" ? asString(involved.name) : undefined);
        events.push({ text, ...(ts ? { timestamp: ts } : {}), ...(node ? { node } : {}), index });
        break;
      }
      default:
        break;
    }
  });
  return events;
}

function readNode(obj: Obj, source: SourceRef): KubeNode {
  const addresses = asArray(path(obj, "status", "addresses")).map(asObj);
  const ready = asArray(path(obj, "status", "conditions")).map(asObj).find((c) => asString(c?.type) === "Ready");
  const labels = asObj(path(obj, "metadata", "labels")) ?? {};
  const roles = Object.keys(labels).filter((k) => k.startsWith("node-role.kubernetes.io/")).map((k) => k.slice("node-role.kubernetes.io/".length));
  return {
    name: asString(path(obj, "metadata", "name")) ?? "",
    internalIPs: addresses.filter((a) => asString(a?.type) === "InternalIP").map((a) => asString(a?.address)).filter((s): s is string => !!s),
    ...(asString(path(obj, "metadata", "annotations", "alpha.kubernetes.io/provided-node-ip")) ? { providedNodeIP: asString(path(obj, "metadata", "annotations", "alpha.kubernetes.io/provided-node-ip")) } : {}),
    ...(ready ? { ready: asString(ready.status) === "True" } : {}),
    roles,
    ...(asString(path(obj, "status", "nodeInfo", "kubeletVersion")) ? { kubeletVersion: asString(path(obj, "status", "nodeInfo", "kubeletVersion")) } : {}),
    source,
  };
}

type KubeNode = KubeObjects["nodes"][number];

function readPod(obj: Obj, spec: Obj, status: Obj | undefined, source: SourceRef): KubePod {
  const containers: KubeContainerEnv[] = [];
  for (const c of [...asArray(spec.initContainers), ...asArray(spec.containers)]) {
    const co = asObj(c);
    if (!co) continue;
    const env: Record<string, string> = {};
    for (const e of asArray(co.env)) {
      const eo = asObj(e);
      const name = asString(eo?.name);
      const value = asString(eo?.value);
      if (name && value !== undefined) env[name] = value;
    }
    containers.push({ container: asString(co.name) ?? "", env });
  }
  const problems: string[] = [];
  for (const cs of asArray(status?.containerStatuses)) {
    const c = asObj(cs);
    const waiting = asString(path(c, "state", "waiting", "reason"));
    if (waiting) problems.push(`${asString(c?.name) ?? "?"}: ${waiting}`);
    else if (c && c.ready === false) problems.push(`${asString(c.name) ?? "?"}: not ready`);
  }
  const podIPs = asArray(status?.podIPs).map((p) => asString(asObj(p)?.ip)).filter((s): s is string => !!s);
  return {
    namespace: asString(path(obj, "metadata", "namespace")) ?? "default",
    name: asString(path(obj, "metadata", "name")) ?? "",
    ...(asString(spec.nodeName) ? { nodeName: asString(spec.nodeName) } : {}),
    hostNetwork: truthy(spec.hostNetwork),
    ...(asString(status?.phase) ? { phase: asString(status?.phase) } : {}),
    ...(asString(status?.hostIP) ? { hostIP: asString(status?.hostIP) } : {}),
    podIPs,
    containers,
    problems,
    source,
  };
}

function uniq(values: (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => !!v && v !== "None"))];
}

function guessKindFromPath(file: string): string | undefined {
  const parts = file.toLowerCase().split("/");
  for (let i = parts.length - 1; i >= 0; i--) {
    const part = (parts[i] ?? "").replace(/\.(json|ya?ml)$/, "");
    const kind = kindFromFolder[part];
    if (kind) return kind;
  }
  return undefined;
}

export function looksLikeKubeObjects(head: string): boolean {
  return (/"apiVersion"\s*:/.test(head) && /"kind"\s*:/.test(head)) || (/^apiVersion:/m.test(head) && /^kind:/m.test(head)) || /^\s*\[\s*\{\s*"metadata"/.test(head);
}
