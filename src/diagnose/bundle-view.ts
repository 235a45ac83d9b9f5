import type { Collected } from "../pipeline/collect.js";
import type { FileInfo } from "../pipeline/file-info.js";
import type { Evidence } from "../match/evidence.js";
import type { InterfaceList, ServiceState, SysctlDump } from "../parse/facts/types.js";
import { baseName } from "../ingest/paths.js";

/** Folder names troubleshoot host collectors write under host-collectors/. */
const hostCollectorDirs = new Set([
  "system", "run-host", "run", "copy-host", "copy", "journald", "http-host", "http", "certificate", "certificates",
  "filesystem-performance", "kernel-configs", "subnet-available", "tcp-port-status", "tcp-connect", "udp-port-status", "dns", "network-namespace-connectivity",
]);

/**
 * troubleshoot writes multi-node host data either as host-collectors/<collector>/<node>/<file>
 * (remote collectors) or host-collectors/<node>/<collector>/<file> (collectors run in a pod).
 * The node is whichever of the two folders is not a collector name.
 */
function hostCollectorNode(segments: string[]): string | undefined {
  const i = segments.indexOf("host-collectors");
  if (i < 0 || segments.length - i < 4) return undefined;
  const a = segments[i + 1] ?? "";
  const b = segments[i + 2] ?? "";
  if (hostCollectorDirs.has(a) && !hostCollectorDirs.has(b)) return b;
  if (hostCollectorDirs.has(b) && !hostCollectorDirs.has(a)) return a;
  return undefined;
}

/** Host facts of one node, gathered from whichever files the bundle had. */
export interface HostFacts {
  node: string;
  interfaces?: InterfaceList;
  sysctl?: SysctlDump;
  services: ServiceState[];
}

const unknownNode = "(unknown node)";

/**
 * Read-only view over what was collected, answering the questions diagnoses ask:
 * which node a file belongs to, each node's host facts. Node attribution happens here,
 * after the pass, because a sosreport's hostname file may come after its logs.
 */
export class BundleView {
  readonly knownNodes: string[];
  private readonly hostnameDirs: { dir: string; hostname: string }[];
  private readonly podNodes = new Map<string, string>();
  private readonly fileNodes = new Map<string, string | undefined>();
  private readonly filesByPath = new Map<string, FileInfo>();

  constructor(readonly collected: Collected) {
    const facts = collected.facts;
    this.hostnameDirs = [...facts.hostnames].sort((a, b) => b.dir.length - a.dir.length);
    const names = new Set<string>();
    for (const n of facts.kube.nodes) if (n.name) names.add(n.name);
    for (const h of facts.hostnames) names.add(h.hostname);
    for (const f of collected.files) for (const h of f.hosts) if (h !== "localhost") names.add(h);
    this.knownNodes = [...names].sort();
    for (const p of facts.kube.pods) if (p.nodeName) this.podNodes.set(`${p.namespace}/${p.name}`, p.nodeName);
    for (const f of collected.files) this.filesByPath.set(f.path, f);
  }

  /** The node a file belongs to: hostname folder, then a node-named path segment, then the pod's node. */
  nodeOfFile(file: string): string | undefined {
    if (this.fileNodes.has(file)) return this.fileNodes.get(file);
    const node = this.resolveFileNode(file);
    this.fileNodes.set(file, node);
    return node;
  }

  nodeOf(evidence: Evidence): string | undefined {
    if (evidence.host && evidence.host !== "localhost") return evidence.host;
    return this.nodeOfFile(evidence.file);
  }

  fileInfo(path: string): FileInfo | undefined {
    return this.filesByPath.get(path);
  }

  private resolveFileNode(file: string): string | undefined {
    for (const { dir, hostname } of this.hostnameDirs) {
      if (dir === "" || file.startsWith(`${dir}/`)) return hostname;
    }
    const segments = file.split("/");
    const hostCollector = hostCollectorNode(segments);
    if (hostCollector) return hostCollector;
    const known = new Set(this.knownNodes);
    for (let i = segments.length - 1; i >= 0; i--) {
      const seg = segments[i] ?? "";
      const bare = i === segments.length - 1 ? seg.replace(/\.[A-Za-z0-9]+$/, "") : seg;
      if (known.has(seg)) return seg;
      if (known.has(bare)) return bare;
    }
    const pod = /(?:^|\/)pods\/logs\/([^/]+)\/([^/]+)\//.exec(file) ?? /(?:^|\/)pods\/([^/_]+)_([^/_]+)_/.exec(file);
    if (pod) return this.podNodes.get(`${pod[1]}/${pod[2]}`);
    // kubectl cluster-info dump: <namespace>/<pod>/logs.txt
    for (let i = segments.length - 2; i >= 1; i--) {
      const node = this.podNodes.get(`${segments[i - 1]}/${segments[i]}`);
      if (node) return node;
    }
    // A file named after its pod (flat bundles: logs/coredns-5d78c9869d-abcde.log)
    const podByName = [...this.podNodes].find(([key]) => baseName(file).startsWith(key.split("/")[1] ?? "\u0000"));
    return podByName?.[1];
  }

  /**
   * Kubernetes and distribution versions the bundle states: the API server's (`kubectl
   * version`, troubleshoot's cluster_version.json), the kubelets' (Node objects) and
   * kubespray's kube_version. More than one Kubernetes version means version skew.
   */
  versions(): { kubernetes: string[]; distribution: string[] } {
    const kubernetes = new Set<string>();
    const distribution = new Set<string>();
    const add = (version: string): void => {
      const [base, suffix] = version.split("+");
      if (base) kubernetes.add(base);
      // v1.24.4+k3s1 -> "k3s v1.24.4+k3s1"; v1.30.2+k0s -> "k0s v1.30.2+k0s".
      if (suffix) distribution.add(`${suffix.replace(/[.\d]+$/, "")} ${version}`);
    };
    for (const v of this.collected.facts.serverVersions) add(v.version);
    for (const n of this.collected.facts.kube.nodes) if (n.kubeletVersion) add(n.kubeletVersion);
    for (const v of this.collected.facts.kubespray) {
      const kv = v.vars.kube_version;
      if (typeof kv === "string" && /^v?\d+\.\d+/.test(kv)) kubernetes.add(kv.startsWith("v") ? kv : `v${kv}`);
    }
    return { kubernetes: [...kubernetes].sort(), distribution: [...distribution].sort() };
  }

  /** Host facts per node; files with no attributable node are grouped under one name. */
  hosts(): HostFacts[] {
    const byNode = new Map<string, HostFacts>();
    const get = (file: string): HostFacts => {
      const node = this.nodeOfFile(file) ?? (this.knownNodes.length === 1 ? (this.knownNodes[0] as string) : unknownNode);
      let h = byNode.get(node);
      if (!h) {
        h = { node, services: [] };
        byNode.set(node, h);
      }
      return h;
    };
    const facts = this.collected.facts;
    for (const list of facts.interfaces) {
      const h = get(list.source.file);
      if (!h.interfaces || list.interfaces.length > h.interfaces.interfaces.length) h.interfaces = list;
    }
    for (const dump of facts.sysctls) {
      const h = get(dump.source.file);
      if (!h.sysctl || dump.values.size > h.sysctl.values.size) h.sysctl = dump;
    }
    for (const s of facts.services) get(s.source.file).services.push(s);
    return [...byNode.values()].sort((a, b) => a.node.localeCompare(b.node));
  }
}
