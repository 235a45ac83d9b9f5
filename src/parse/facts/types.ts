/** Structured facts read from a bundle, each tagged with where it came from. */

export interface SourceRef {
  file: string;
  line?: number;
}

export interface InterfaceAddress {
  family: "inet" | "inet6";
  address: string;
  prefixLength: number;
  scope?: string;
  line?: number;
}

export interface NetInterface {
  name: string;
  flags: string[];
  linkType?: string;
  state?: string;
  addresses: InterfaceAddress[];
}

export interface InterfaceList {
  source: SourceRef;
  interfaces: NetInterface[];
}

export interface SysctlValue {
  value: string;
  line?: number;
}

export interface SysctlDump {
  source: SourceRef;
  values: Map<string, SysctlValue>;
}

export type ServiceActivity = "active" | "inactive" | "failed" | "activating" | "unknown";

export interface ServiceState {
  name: string;
  active: ServiceActivity;
  source: SourceRef;
}

export interface K0sConfigFacts {
  source: SourceRef;
  dualStackEnabled: boolean;
  externalAddress?: string;
  apiAddress?: string;
  sans: string[];
  podCIDRs: string[];
  serviceCIDRs: string[];
  apiExtraArgs: Record<string, string>;
  nllbEnabled: boolean;
  nllbType?: string;
  nllbPort?: number;
  /** Helm chart values embedded in spec.extensions.helm.charts, by chart name. */
  chartValues: { chart: string; values: Record<string, unknown> }[];
  provider?: string;
}

export interface KubesprayVars {
  source: SourceRef;
  vars: Record<string, unknown>;
  /** Line of each top-level key, for evidence. */
  lines: Record<string, number>;
}

export interface KubeNode {
  name: string;
  internalIPs: string[];
  providedNodeIP?: string;
  ready?: boolean;
  roles: string[];
  kubeletVersion?: string;
  source: SourceRef;
}

export interface KubeContainerEnv {
  container: string;
  env: Record<string, string>;
}

export interface KubePod {
  namespace: string;
  name: string;
  nodeName?: string;
  hostNetwork: boolean;
  phase?: string;
  hostIP?: string;
  podIPs: string[];
  containers: KubeContainerEnv[];
  /** Waiting reasons (CrashLoopBackOff, ContainerCreating...) and not-ready containers. */
  problems: string[];
  /** Owner kind/name: the workload that made it, when the pod is a template. */
  owner?: string;
  source: SourceRef;
}

export interface KubeService {
  namespace: string;
  name: string;
  clusterIPs: string[];
  ipFamilies: string[];
  source: SourceRef;
}

export interface KubeEndpoints {
  namespace: string;
  name: string;
  addresses: string[];
  ports: number[];
  source: SourceRef;
}

export interface KubeAPIService {
  name: string;
  available?: boolean;
  reason?: string;
  message?: string;
  source: SourceRef;
}

export interface KubeConfigMap {
  namespace: string;
  name: string;
  data: Record<string, string>;
  source: SourceRef;
}

export interface KubeObjects {
  nodes: KubeNode[];
  pods: KubePod[];
  services: KubeService[];
  endpoints: KubeEndpoints[];
  apiServices: KubeAPIService[];
  configMaps: KubeConfigMap[];
}

/** Helm values files found loose in the bundle (e.g. cilium-values.yaml). */
export interface HelmValues {
  source: SourceRef;
  values: Record<string, unknown>;
}

/** Everything structured a bundle told us. Host facts are keyed by the file that held them. */
export interface Facts {
  hostnames: { dir: string; hostname: string; source: SourceRef }[];
  interfaces: InterfaceList[];
  sysctls: SysctlDump[];
  services: ServiceState[];
  k0sConfigs: K0sConfigFacts[];
  kubespray: KubesprayVars[];
  kube: KubeObjects;
  helmValues: HelmValues[];
  /** The API server version, from `kubectl version` or troubleshoot's cluster_version.json. */
  serverVersions: { version: string; source: SourceRef }[];
}

export function emptyFacts(): Facts {
  return {
    hostnames: [],
    interfaces: [],
    sysctls: [],
    services: [],
    k0sConfigs: [],
    kubespray: [],
    kube: { nodes: [], pods: [], services: [], endpoints: [], apiServices: [], configMaps: [] },
    helmValues: [],
    serverVersions: [],
  };
}
