import { createWriteStream } from "node:fs";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { once } from "node:events";
import { createGzip } from "node:zlib";
import { LogClock } from "./bench-clock.js";
import { ipAddrText, sysctlText } from "./bench-facts.js";
import { injectedFailures, type InjectedFailure } from "./bench-failures.js";
import { lineMakers, type LogContext, type LogKind } from "./bench-logs.js";
import { SeededRandom } from "./bench-random.js";
import { tarHeader, tarPadding, tarTrailer } from "./bench-tar.js";

/** Bumped whenever the generator's output changes, so cached bundles are not reused. */
const generatorVersion = 2;
const root = "support-bundle-2025-06-11T08_00_00";
const mtime = new Date("2025-06-12T00:00:00Z");
const startMs = Date.UTC(2025, 5, 11, 0, 0, 0);

export interface BundleSpec {
  /** Uncompressed bytes of log text (fact files come on top). */
  bytes: number;
  /** Number of log files the bytes are spread over. */
  logFiles: number;
  seed: number;
}

/** What was generated: where, how big, and what the report must find. */
export interface BundleManifest {
  path: string;
  compressedBytes: number;
  /** Bytes of the tar stream (headers and padding included): what `gzip -dc` writes. */
  uncompressedBytes: number;
  files: number;
  lines: number;
  injected: { findingId: string; count: number; file: string }[];
  /** The node whose sysctl dump has ip_forward = 0. */
  ipForwardOffNode: string;
}

interface LogFileSpec {
  path: string;
  kind: LogKind;
  node: string;
  weight: number;
}

const controllers = ["ctrl-0", "ctrl-1", "ctrl-2"];
const workers = ["worker-0", "worker-1", "worker-2", "worker-3", "worker-4", "worker-5"];
const nodes = [...controllers, ...workers];
const ipForwardOffNode = "worker-1";

function nodeIp(node: string): string {
  const i = nodes.indexOf(node);
  return i < controllers.length ? `10.0.0.${10 + i}` : `10.0.0.${20 + i - controllers.length}`;
}

/** The bundle's files: per-node journals, an etcd log per controller, and pod logs for the rest. */
function layout(spec: BundleSpec, r: SeededRandom): LogFileSpec[] {
  const files: LogFileSpec[] = [];
  for (const node of nodes) {
    files.push({ path: `${root}/node-logs/${node}/journal/kubelet.log`, kind: "kubelet-journal", node, weight: 6 });
    files.push({ path: `${root}/node-logs/${node}/journal/containerd.log`, kind: "containerd-journal", node, weight: 3 });
    files.push({ path: `${root}/node-logs/${node}/journal/kernel.log`, kind: "kernel-journal", node, weight: 1 });
  }
  for (const node of controllers) {
    files.push({ path: `${root}/node-logs/${node}/journal/k0scontroller.log`, kind: "k0s-journal", node, weight: 6 });
    files.push({ path: `${root}/node-logs/${node}/etcd/etcd.log`, kind: "etcd-json", node, weight: 4 });
  }
  for (const node of workers) {
    files.push({ path: podLogPath(node, "kube-system", `konnectivity-agent-${r.alnum(5)}`, r, "konnectivity-agent"), kind: "konnectivity-agent", node, weight: 1 });
  }
  // CoreDNS logs every query only where its `log` plugin is on (not the default): one pod in 16.
  const podKind = (i: number): LogKind => (i % 16 === 15 ? "pod-coredns" : i % 2 === 1 ? "pod-json" : "pod-klog");
  for (let i = 0; files.length < spec.logFiles; i++) {
    const node = nodes[i % nodes.length] as string;
    const kind = podKind(i);
    const app = kind === "pod-coredns" ? "coredns" : kind === "pod-json" ? "cert-manager" : r.pick(["kube-proxy", "controller", "operator", "metrics-agent"]);
    files.push({ path: podLogPath(node, kind === "pod-json" ? "cert-manager" : "kube-system", `${app}-${r.alnum(9)}-${r.alnum(5)}`, r, app), kind, node, weight: 1 });
  }
  return files;
}

function podLogPath(node: string, namespace: string, pod: string, r: SeededRandom, container: string): string {
  const uid = `${r.hex(8)}-${r.hex(4)}-4${r.hex(3)}-a${r.hex(3)}-${r.hex(12)}`;
  return `${root}/node-logs/${node}/var/log/pods/${namespace}_${pod}_${uid}/${container}/0.log`;
}

/** Writes the log text of one file: about `target` bytes, failures planted where due. */
function logText(file: LogFileSpec, target: number, r: SeededRandom, failure: InjectedFailure | undefined): { text: string; lines: number } {
  const make = lineMakers[file.kind];
  const context: LogContext = {
    node: file.node,
    pid: r.between(300, 9000),
    pods: Array.from({ length: 12 }, () => `${r.pick(["web", "api", "worker", "db", "cache"])}-${r.alnum(9)}-${r.alnum(5)}`),
    ips: nodes.map(nodeIp),
  };
  const clock = new LogClock(startMs + r.int(3_600_000));
  const parts: string[] = [];
  let bytes = 0;
  let lines = 0;
  let planted = 0;
  const push = (line: string): void => {
    parts.push(line);
    bytes += line.length + 1;
    lines++;
  };
  const plant = (): void => {
    if (!failure) return;
    if (failure.before) push(failure.before(r, clock, context));
    push(failure.line(r, clock, context));
    planted++;
  };
  // The last planted line goes at the very end of the file: the whole file must be read.
  const due = (n: number): number => (failure ? ((n + 0.5) / failure.count) * target : Infinity);
  while (bytes < target) {
    if (failure && planted < failure.count - 1 && bytes >= due(planted)) plant();
    push(make(r, clock, context));
  }
  while (failure && planted < failure.count) plant();
  return { text: `${parts.join("\n")}\n`, lines };
}

/** Where bundles are cached: the OS temp folder, never the repository. */
export function benchDir(tmp: string): string {
  return join(tmp, "bundle-analyze-bench");
}

/** Generates the bundle (or reuses an identical one from an earlier run). */
export async function generateBundle(spec: BundleSpec, dir: string, log: (msg: string) => void): Promise<BundleManifest> {
  await mkdir(dir, { recursive: true });
  const name = `bundle-v${generatorVersion}-${spec.bytes}-${spec.logFiles}files-seed${spec.seed}`;
  const path = join(dir, `${name}.tar.gz`);
  const manifestPath = join(dir, `${name}.json`);
  try {
    const manifest = JSON.parse(await readFile(manifestPath, "utf8")) as BundleManifest;
    if ((await stat(path)).size === manifest.compressedBytes) {
      log(`reusing ${path}`);
      return manifest;
    }
  } catch {
    // Not generated yet.
  }
  log(`generating ${path} ...`);
  const r = new SeededRandom(spec.seed);
  const files = layout(spec, r);
  const totalWeight = files.reduce((n, f) => n + f.weight, 0);
  const partial = `${path}.partial`;
  const gzip = createGzip({ level: 6 });
  const out = createWriteStream(partial);
  gzip.pipe(out);
  let tarBytes = 0;
  const write = async (chunk: Buffer): Promise<void> => {
    tarBytes += chunk.length;
    if (!gzip.write(chunk)) await once(gzip, "drain");
  };
  let lines = 0;
  const addFile = async (path: string, content: Buffer): Promise<void> => {
    await write(tarHeader(path, content.length, mtime));
    await write(content);
    await write(tarPadding(content.length));
  };
  for (const node of nodes) {
    const dirPath = `${root}/host-collectors/run-host/${node}`;
    await addFile(`${dirPath}/hostname`, Buffer.from(`${node}\n`));
    await addFile(`${dirPath}/ip-addr.txt`, Buffer.from(ipAddrText(nodeIp(node), nodes.indexOf(node))));
    await addFile(`${dirPath}/sysctl.txt`, Buffer.from(sysctlText(node === ipForwardOffNode ? 0 : 1)));
  }
  const injected: BundleManifest["injected"] = [];
  const planted = new Set<InjectedFailure>();
  for (const file of files) {
    const failure = injectedFailures.find((f) => f.kind === file.kind && f.node === file.node && !planted.has(f));
    if (failure) {
      planted.add(failure);
      injected.push({ findingId: failure.findingId, count: failure.count, file: file.path });
    }
    const target = Math.max(1024, Math.round((spec.bytes * file.weight) / totalWeight));
    const text = logText(file, target, r, failure);
    lines += text.lines;
    await addFile(file.path, Buffer.from(text.text));
  }
  await write(tarTrailer);
  gzip.end();
  await once(out, "close");
  await rename(partial, path).catch(async (err: unknown) => {
    await rm(partial, { force: true });
    throw err;
  });
  const manifest: BundleManifest = {
    path,
    compressedBytes: (await stat(path)).size,
    uncompressedBytes: tarBytes,
    files: files.length + 3 * nodes.length,
    lines,
    injected,
    ipForwardOffNode,
  };
  await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  log(`generated ${manifest.files} files, ${lines} log lines, ${(manifest.compressedBytes / 2 ** 20).toFixed(0)} MiB compressed`);
  return manifest;
}
