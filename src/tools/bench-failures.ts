import type { LineMaker, LogKind } from "./bench-logs.js";

/** A failure planted in the synthetic bundle: the report must name it, with every line counted. */
export interface InjectedFailure {
  /** The finding the report must contain. */
  findingId: string;
  /** The file it is planted in: a log of this kind on this node. */
  kind: LogKind;
  node: string;
  /** How many matching lines are planted (spread over the file, the last one at its very end). */
  count: number;
  line: LineMaker;
  /** A line that belongs with the failure but matches nothing (e.g. the OOM killer's preamble). */
  before?: LineMaker;
}

/** The controller konnectivity agents dial: ctrl-0's address in the bundle's `ip addr`. */
export const controllerIp = "10.0.0.10";

export const injectedFailures: readonly InjectedFailure[] = [
  {
    // Joined with worker-1's sysctl dump (net.ipv4.ip_forward = 0) into the field diagnosis.
    findingId: "konnectivity-agent-unreachable",
    kind: "konnectivity-agent",
    node: "worker-1",
    count: 24,
    line: (r, c) => {
      c.advance(r.int(5000), r.int(1000));
      return `${c.isoNanos()} stderr F E${c.klog()}       1 clientset.go:204] "cannot connect once" err="rpc error: code = Unavailable desc = connection error: desc = \\"transport: Error while dialing: dial tcp ${controllerIp}:8132: connect: connection refused\\""`;
    },
  },
  {
    findingId: "etcd-database-space-exceeded",
    kind: "etcd-json",
    node: "ctrl-0",
    count: 3,
    line: (r, c) => {
      c.advance(r.int(500), r.int(1000));
      return `{"level":"warn","ts":"${c.isoMillis()}","caller":"etcdserver/v3_server.go:840","msg":"failed to apply request","took":"${r.int(90)}.${r.int(999)}µs","request":"header:<ID:${r.int(2 ** 31)} > put:<key:\\"/registry/leases/kube-node-lease/worker-${r.int(6)}\\" value_size:${r.between(300, 600)} >","response":"","error":"etcdserver: mvcc: database space exceeded"}`;
    },
  },
  {
    findingId: "kernel-oom-kill",
    kind: "kernel-journal",
    node: "worker-0",
    count: 2,
    before: (r, c, x) => `${c.syslog()} ${x.node} kernel: java invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=${r.int(1000)}`,
    line: (r, c, x) => {
      c.advance(r.int(50), r.int(1000));
      return `${c.syslog()} ${x.node} kernel: Out of memory: Killed process ${r.between(1000, 99999)} (java) total-vm:${r.int(9999999)}kB, anon-rss:${r.int(9999999)}kB, file-rss:${r.int(99999)}kB, shmem-rss:0kB, UID:0 pgtables:${r.int(99999)}kB oom_score_adj:${r.int(1000)}`;
    },
  },
];
