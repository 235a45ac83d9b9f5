import type { LogClock } from "./bench-clock.js";
import type { SeededRandom } from "./bench-random.js";

/** The kinds of log file the synthetic bundle holds, each in the format its writer uses. */
export type LogKind =
  | "kubelet-journal"
  | "containerd-journal"
  | "kernel-journal"
  | "k0s-journal"
  | "etcd-json"
  | "pod-klog"
  | "pod-coredns"
  | "pod-json"
  | "konnectivity-agent";

/** What a line generator may refer to: the node and pod the file belongs to. */
export interface LogContext {
  node: string;
  pid: number;
  pods: readonly string[];
  ips: readonly string[];
}

export type LineMaker = (r: SeededRandom, c: LogClock, x: LogContext) => string;

const namespaces = ["kube-system", "default", "monitoring", "ingress-nginx", "cert-manager", "payments", "web", "batch-jobs"];
const volumes = ["kube-api-access", "config", "tls-certs", "data", "tmp", "cache", "secrets-store"];
const goFiles = ["reconciler_common.go:251", "kubelet.go:2440", "kuberuntime_manager.go:1012", "pod_workers.go:1298", "prober.go:107", "kubelet_pods.go:1065", "operation_generator.go:721", "status_manager.go:877", "scope.go:117", "container_manager_linux.go:880"];

function uuid(r: SeededRandom): string {
  return `${r.hex(8)}-${r.hex(4)}-4${r.hex(3)}-a${r.hex(3)}-${r.hex(12)}`;
}

function podRef(r: SeededRandom, x: LogContext): string {
  return `${r.pick(namespaces)}/${r.pick(x.pods)}`;
}

function ip(r: SeededRandom): string {
  return `10.244.${r.int(8)}.${r.between(2, 250)}`;
}

const kubeletInfo: LineMaker[] = [
  (r, _c, x) => `"SyncLoop (PLEG): event for pod" pod="${podRef(r, x)}" event={"ID":"${uuid(r)}","Type":"ContainerStarted","Data":"${r.hex(64)}"}`,
  (r, _c, x) => {
    const v = r.pick(volumes);
    const p = r.pick(x.pods);
    const id = uuid(r);
    return `"operationExecutor.VerifyControllerAttachedVolume started for volume \\"${v}-${r.alnum(5)}\\" (UniqueName: \\"kubernetes.io/projected/${id}-${v}\\") pod \\"${p}\\" (UID: \\"${id}\\") " pod="${r.pick(namespaces)}/${p}"`;
  },
  (r, _c, x) => {
    const v = r.pick(volumes);
    const p = r.pick(x.pods);
    const id = uuid(r);
    return `"MountVolume.SetUp succeeded for volume \\"${v}\\" (UniqueName: \\"kubernetes.io/configmap/${id}-${v}\\") pod \\"${p}\\" (UID: \\"${id}\\") " pod="${r.pick(namespaces)}/${p}"`;
  },
  (r, _c, x) => `"Probe succeeded" probeType="Readiness" pod="${podRef(r, x)}" podUID="${uuid(r)}" containerName="${r.pick(["app", "sidecar", "proxy", "server"])}"`,
  (r) => `"RemoveContainer" containerID="${r.hex(64)}"`,
  (r, _c, x) => `"Updating ready status of pod to true" pod="${podRef(r, x)}" podUID="${uuid(r)}"`,
  (r, _c, x) => `"SyncLoop UPDATE" source="api" pods=["${podRef(r, x)}"]`,
  (r) => `"Image garbage collection succeeded" bytesFreed=${r.int(900_000_000)} duration="${r.int(900)}ms"`,
  (r, _c, x) => `"Killing container with a grace period" pod="${podRef(r, x)}" podUID="${uuid(r)}" containerName="app" containerID="containerd://${r.hex(64)}" gracePeriod=30`,
];

// Warnings and errors no pattern knows: the unclassified section has to group these.
const kubeletNoise: LineMaker[] = [
  (r, _c, x) => `E "Failed to get status for pod" podUID="${uuid(r)}" pod="${podRef(r, x)}" err="Get \\"https://10.96.0.1:443/api/v1/namespaces/${r.pick(namespaces)}/pods/${r.pick(x.pods)}\\": context deadline exceeded"`,
  () => `E "Unable to read config path" err="path does not exist, ignoring" path="/etc/kubernetes/manifests"`,
  (r, _c, x) => `W "Unable to fetch pod log stats" err="open /var/log/pods/${r.pick(namespaces)}_${r.pick(x.pods)}_${uuid(r)}: no such file or directory" pod="${podRef(r, x)}"`,
  (r) => `E "Orphaned pod found, but volume paths are still present on disk" podUID="${uuid(r)}" numPaths=${r.between(1, 4)}`,
  (r, _c, x) => `W "Failed to update QoS cgroups" err="failed to set supported cgroup subsystems for cgroup [kubepods burstable]: unable to set unified resource \\"memory.high\\" to \\"${r.int(99999999)}\\"" pod="${podRef(r, x)}"`,
];

/** "I0611 08:16:06.123456    1234 file.go:12] text"; noise makers put their level letter and a space in front. */
function klogLine(r: SeededRandom, c: LogClock, x: LogContext, level: string, text: string): string {
  return `${level}${c.klog()} ${String(x.pid).padStart(7)} ${r.pick(goFiles)}] ${text}`;
}

const kubeletJournal: LineMaker = (r, c, x) => {
  c.advance(r.int(400), r.int(1000));
  const noise = r.chance(0.03) ? r.pick(kubeletNoise)(r, c, x) : undefined;
  const line = noise ? klogLine(r, c, x, noise.slice(0, 1), noise.slice(2)) : klogLine(r, c, x, "I", r.pick(kubeletInfo)(r, c, x));
  return `${c.syslog()} ${x.node} kubelet[${x.pid}]: ${line}`;
};

const containerdInfo: LineMaker[] = [
  (r) => `level=info msg="StartContainer for \\"${r.hex(64)}\\" returns successfully"`,
  (r) => `level=info msg="CreateContainer within sandbox \\"${r.hex(64)}\\" for container &ContainerMetadata{Name:${r.pick(["app", "proxy", "init", "server"])},Attempt:${r.int(3)},}"`,
  (r) => `level=info msg="ImageCreate event &ImageCreate{Name:registry.k8s.io/pause:3.9,Labels:map[string]string{io.cri-containerd.image: managed,},XXX_unrecognized:[],}" id=${r.hex(12)}`,
  (r) => `level=info msg="shim disconnected" id=${r.hex(64)} namespace=k8s.io`,
  (r) => `level=info msg="TearDown network for sandbox \\"${r.hex(64)}\\" successfully"`,
  (r) => `level=info msg="PullImage \\"docker.io/library/nginx:1.${r.between(19, 27)}\\" returns image reference \\"sha256:${r.hex(64)}\\""`,
];

const containerdNoise: LineMaker[] = [
  (r) => `level=warning msg="cleaning up after shim disconnected" id=${r.hex(64)} namespace=k8s.io`,
  (r) => `level=error msg="ContainerStatus for \\"${r.hex(64)}\\" failed" error="rpc error: code = NotFound desc = an error occurred when try to find container \\"${r.hex(64)}\\": not found"`,
  (r) => `level=warning msg="Ignoring error killing container \\"${r.hex(64)}\\": container not created"`,
];

const containerdJournal: LineMaker = (r, c, x) => {
  c.advance(r.int(600), r.int(1000));
  const body = (r.chance(0.03) ? r.pick(containerdNoise) : r.pick(containerdInfo))(r, c, x);
  return `${c.syslog()} ${x.node} containerd[${x.pid}]: time="${c.isoNanos()}" ${body}`;
};

const kernelInfo: LineMaker[] = [
  (r) => `IPv6: ADDRCONF(NETDEV_CHANGE): cali${r.hex(11)}: link becomes ready`,
  (r) => `cni0: port ${r.between(1, 40)}(veth${r.hex(8)}) entered forwarding state`,
  (r) => `device veth${r.hex(8)} entered promiscuous mode`,
  (r) => `audit: type=1400 audit(${1749600000 + r.int(90000)}.${r.int(999)}:${r.int(9999)}): apparmor="STATUS" operation="profile_replace" profile="unconfined" name="cri-containerd.apparmor.d" pid=${r.int(99999)} comm="apparmor_parser"`,
  (r) => `EXT4-fs (dm-${r.int(4)}): mounted filesystem with ordered data mode. Quota mode: none.`,
  (r) => `IPVS: rr: TCP 10.96.${r.int(255)}.${r.int(255)}:443 - no destination available`,
];

const kernelJournal: LineMaker = (r, c, x) => {
  c.advance(r.int(2000), r.int(1000));
  return `${c.syslog()} ${x.node} kernel: ${r.pick(kernelInfo)(r, c, x)}`;
};

const apiserverInfo: LineMaker[] = [
  () => `controller.go:615] quota admission added evaluator for: leases.coordination.k8s.io`,
  (r) => `httplog.go:132] "HTTP" verb="GET" URI="/api/v1/namespaces/${r.pick(namespaces)}/pods?limit=500" latency="${r.int(90)}.${r.int(999)}ms" userAgent="kubectl/v1.30.2" audit-ID="${uuid(r)}" srcIP="${ip(r)}:${r.between(30000, 60000)}" resp=200`,
  (r) => `alloc.go:330] "allocated clusterIPs" service="${r.pick(namespaces)}/svc-${r.alnum(5)}" clusterIPs={"IPv4":"10.96.${r.int(255)}.${r.int(255)}"}`,
  () => `cacher.go:460] cacher (leases.coordination.k8s.io): initialized`,
];

const k0sJournal: LineMaker = (r, c, x) => {
  c.advance(r.int(500), r.int(1000));
  if (r.chance(0.02)) {
    return `${c.syslog()} ${x.node} k0s[${x.pid}]: time="${c.plain()}" level=warning msg="failed to get leader lease: context deadline exceeded" component=autopilot`;
  }
  const inner = `I${c.klog()} ${String(x.pid).padStart(7)} ${r.pick(apiserverInfo)(r, c, x)}`.replace(/"/g, '\\"');
  return `${c.syslog()} ${x.node} k0s[${x.pid}]: time="${c.plain()}" level=info msg="${inner}" component=kube-apiserver stream=stderr`;
};

const etcdInfo: LineMaker[] = [
  (r) => `"caller":"mvcc/index.go:214","msg":"compact tree index","revision":${r.between(100000, 9000000)}`,
  (r) => `"caller":"mvcc/kvstore_compaction.go:66","msg":"finished scheduled compaction","compact-revision":${r.between(100000, 9000000)},"took":"${r.int(30)}.${r.int(999999)}ms","hash":${r.int(4294967295)}`,
  (r) => `"caller":"etcdserver/server.go:1395","msg":"triggering snapshot","local-member-id":"${r.hex(16)}","local-member-applied-index":${r.int(99999999)},"local-member-snapshot-index":${r.int(99999999)},"local-member-snapshot-count":100000}`.slice(0, -1),
  (r) => `"caller":"fileutil/purge.go:77","msg":"purged","path":"/var/lib/k0s/etcd/member/snap/${r.hex(16)}-${r.hex(16)}.snap"`,
  (r) => `"caller":"v3rpc/interceptor.go:197","msg":"request stats","start time":"2025-06-11T${String(r.int(24)).padStart(2, "0")}:00:00.000Z","time spent":"${r.int(900)}µs","remote":"127.0.0.1:${r.between(30000, 60000)}","response type":"/etcdserverpb.KV/Range","request count":0,"request size":${r.int(90)},"response count":${r.int(9)},"response size":${r.int(9000)}`,
];

const etcdJson: LineMaker = (r, c, x) => {
  c.advance(r.int(700), r.int(1000));
  if (r.chance(0.01)) {
    return `{"level":"warn","ts":"${c.isoMillis()}","caller":"rafthttp/probing_status.go:68","msg":"prober detected unhealthy status","round-tripper-name":"ROUND_TRIPPER_SNAPSHOT","remote-peer-id":"${r.hex(16)}","rtt":"0s","error":"dial tcp ${x.ips[r.int(x.ips.length)] ?? "10.0.0.1"}:2380: i/o timeout"}`;
  }
  return `{"level":"info","ts":"${c.isoMillis()}",${r.pick(etcdInfo)(r, c, x)}}`;
};

const genericKlog: LineMaker[] = [
  (r) => `leaderelection.go:281] successfully renewed lease kube-system/${r.pick(["kube-controller-manager", "kube-scheduler", "cert-manager-controller"])}`,
  (r, _c, x) => `controller.go:${r.between(100, 900)}] "Reconciling" object="${podRef(r, x)}" generation=${r.int(90)}`,
  (r) => `reflector.go:${r.between(200, 400)}] Caches populated for *v1.ConfigMap from k8s.io/client-go@v0.30.2/tools/cache/reflector.go:232 (${r.int(900)}ms)`,
  (r) => `proxier.go:${r.between(700, 900)}] "SyncProxyRules complete" elapsed="${r.int(400)}.${r.int(999)}ms"`,
];

const podKlog: LineMaker = (r, c, x) => {
  c.advance(r.int(900), r.int(1000));
  const noisy = r.chance(0.02);
  const body = noisy
    ? `E${c.klog()}       1 reflector.go:147] "Unhandled Error" err="k8s.io/client-go/informers/factory.go:160: Failed to watch *v1.Endpoints: the server has asked for the client to provide credentials" logger="UnhandledError"`
    : `I${c.klog()}       1 ${r.pick(genericKlog)(r, c, x)}`;
  return `${c.isoNanos()} stderr F ${body}`;
};

const podCoredns: LineMaker = (r, c) => {
  c.advance(r.int(300), r.int(1000));
  const name = r.pick(["kubernetes.default.svc.cluster.local.", `svc-${r.alnum(5)}.${r.pick(namespaces)}.svc.cluster.local.`, "api.github.com.", `${r.alnum(6)}.s3.amazonaws.com.`]);
  return `${c.isoNanos()} stdout F [INFO] ${ip(r)}:${r.between(30000, 60000)} - ${r.int(65535)} "${r.pick(["A", "AAAA"])} IN ${name} udp ${r.between(40, 90)} false 512" NOERROR qr,aa,rd ${r.between(60, 300)} 0.000${r.between(100, 999)}s`;
};

const podJson: LineMaker = (r, c, x) => {
  c.advance(r.int(800), r.int(1000));
  if (r.chance(0.02)) {
    return `${c.isoNanos()} stderr F {"level":"error","ts":${c.epochSeconds()},"logger":"controller","msg":"Reconciler error","name":"${r.pick(x.pods)}","namespace":"${r.pick(namespaces)}","error":"Operation cannot be fulfilled on certificates.cert-manager.io: the object has been modified; please apply your changes to the latest version and try again"}`;
  }
  return `${c.isoNanos()} stderr F {"level":"info","ts":${c.epochSeconds()},"logger":"controller","msg":"${r.pick(["Reconciling", "Reconciled object", "Starting workers", "Updated status"])}","name":"${r.pick(x.pods)}","namespace":"${r.pick(namespaces)}","reconcileID":"${uuid(r)}","worker count":${r.between(1, 8)}}`;
};

const konnectivityAgent: LineMaker = (r, c, x) => {
  c.advance(r.int(1500), r.int(1000));
  const body = r.pick([
    () => `client.go:${r.between(200, 600)}] "Received DIAL_REQ" serverID="${uuid(r)}" dialID=${r.int(9999999)} dialAddress="${ip(r)}:10250"`,
    () => `client.go:${r.between(200, 600)}] "close connection" connectionID=${r.int(99999)}`,
    () => `clientset.go:${r.between(200, 300)}] "sync added client connecting to proxy server" serverID="${uuid(r)}"`,
    // A near miss for the konnectivity pattern: the port is there, the dial error is not.
    () => `client.go:${r.between(200, 600)}] "Connect to server" serverID="${uuid(r)}" server="${x.ips[0] ?? "10.0.0.10"}:8132: established"`,
  ])();
  return `${c.isoNanos()} stderr F I${c.klog()}       1 ${body}`;
};

export const lineMakers: Record<LogKind, LineMaker> = {
  "kubelet-journal": kubeletJournal,
  "containerd-journal": containerdJournal,
  "kernel-journal": kernelJournal,
  "k0s-journal": k0sJournal,
  "etcd-json": etcdJson,
  "pod-klog": podKlog,
  "pod-coredns": podCoredns,
  "pod-json": podJson,
  "konnectivity-agent": konnectivityAgent,
};
