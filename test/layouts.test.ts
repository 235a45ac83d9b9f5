import { join } from "node:path";
import { mkdir, writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import type { Report } from "../src/report/model.js";
import { makeTar, makeTarGz, tempDir, writeTemp } from "./support/archives.js";
import { runCli } from "./support/cli.js";

// One failure (konnectivity agents on worker-1 cannot reach 192.168.1.41:8132 because
// ip_forward is 0 there), packaged the way different producers lay out their files.
// File names follow the producers: troubleshoot.sh (cluster-resources/, host-collectors/run-host/,
// see replicatedhq/troubleshoot and k0s docs/support-bundle-worker.yaml), sosreport
// (sos_commands/kernel/sysctl_-a, see sosreport/sos plugins), kubectl cluster-info dump
// (<namespace>/<pod>/logs.txt, nodes.json).
const agentLine = 'E0611 08:16:10.213218       1 clientset.go:204] "cannot connect once" err="rpc error: code = Unavailable desc = connection error: desc = \\"transport: Error while dialing: dial tcp 192.168.1.41:8132: connect: no route to host\\""';
const sysctl = (forward: number): string => `kernel.hostname = x\nnet.ipv4.ip_forward = ${forward}\n${Array.from({ length: 60 }, (_, i) => `net.ipv4.conf.veth${i}.forwarding = 0`).join("\n")}\n`;
const nodeList = JSON.stringify({ kind: "NodeList", apiVersion: "v1", items: ["ctrl-0", "worker-1"].map((name, i) => ({ kind: "Node", apiVersion: "v1", metadata: { name }, status: { addresses: [{ type: "InternalIP", address: `192.168.1.4${i + 1}` }] } })) });
const podList = JSON.stringify({ kind: "PodList", apiVersion: "v1", items: [{ kind: "Pod", apiVersion: "v1", metadata: { name: "konnectivity-agent-x7k2p", namespace: "kube-system" }, spec: { nodeName: "worker-1", containers: [{ name: "konnectivity-agent" }] }, status: { phase: "Running" } }] });

function analyse(path: string): Report {
  const run = runCli([path, "--format", "json"]);
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as Report;
}

function expectDiagnosis(report: Report): void {
  const f = report.findings[0];
  expect(f?.id).toBe("konnectivity-agent-unreachable");
  expect(f?.confidence).toBe("high");
  expect(f?.nodes).toContain("worker-1");
  expect(f?.summary).toContain("`net.ipv4.ip_forward` is 0 on worker-1");
}

describe("the same failure in every producer's layout", () => {
  it("troubleshoot.sh bundle", async () => {
    const path = await writeTemp("supportbundle.tar.gz", await makeTarGz([
      { name: "support-bundle/version.yaml", content: "apiVersion: troubleshoot.sh/v1beta2\nkind: SupportBundle\nspec:\n  versionNumber: v0.123.14\n" },
      { name: "support-bundle/cluster-resources/nodes.json", content: nodeList },
      { name: "support-bundle/cluster-resources/pods/kube-system.json", content: podList },
      { name: "support-bundle/cluster-resources/pods/logs/kube-system/konnectivity-agent-x7k2p/konnectivity-agent.log", content: `${agentLine}\n` },
      { name: "support-bundle/host-collectors/run-host/worker-1/sysctl.txt", content: sysctl(0) },
      { name: "support-bundle/host-collectors/run-host/ctrl-0/sysctl.txt", content: sysctl(1) },
    ]));
    const report = analyse(path);
    expectDiagnosis(report);
    expect(report.inventory.producers).toContain("troubleshoot.sh support-bundle");
    expect(report.inventory.nodes.map((n) => n.name)).toEqual(["ctrl-0", "worker-1"]);
  });

  it("kubectl cluster-info dump plus a sosreport tarball per node", async () => {
    const sos = (node: string, forward: number) => makeTar([
      { name: `sosreport-${node}/hostname`, content: `${node}\n` },
      { name: `sosreport-${node}/sos_commands/kernel/sysctl_-a`, content: sysctl(forward) },
    ]);
    const path = await writeTemp("ticket-4711.tar.gz", await makeTarGz([
      { name: "dump/nodes.json", content: nodeList },
      { name: "dump/kube-system/pods.json", content: podList },
      { name: "dump/kube-system/konnectivity-agent-x7k2p/logs.txt", content: `${agentLine}\n` },
      { name: "sos/sosreport-worker-1.tar", content: await sos("worker-1", 0) },
      { name: "sos/sosreport-ctrl-0.tar", content: await sos("ctrl-0", 1) },
    ]));
    const report = analyse(path);
    expectDiagnosis(report);
    expect(report.inventory.producers).toEqual(expect.arrayContaining(["kubectl dump", "sosreport"]));
  });

  it("a plain folder a customer put together by hand", async () => {
    const dir = await tempDir();
    await mkdir(join(dir, "worker-1"), { recursive: true });
    await writeFile(join(dir, "worker-1", "hostname"), "worker-1\n");
    await writeFile(join(dir, "worker-1", "sysctl.txt"), sysctl(0));
    await writeFile(join(dir, "worker-1", "konnectivity-agent.log"), `${agentLine}\n`);
    const report = analyse(dir);
    expectDiagnosis(report);
    expect(report.inventory.producers).toEqual(["plain folder of files"]);
    expect(report.inventory.gaps.some((g) => g.includes("Node objects"))).toBe(true);
  });
});

describe("troubleshoot host collectors on nodes that are not Kubernetes nodes", () => {
  it("attributes host-collectors/<collector>/<node>/ and host-collectors/<node>/<collector>/ without a hostname file", async () => {
    const path = await writeTemp("hc.tar.gz", await makeTarGz([
      { name: "sb/version.yaml", content: "apiVersion: troubleshoot.sh/v1beta2\nkind: SupportBundle\n" },
      { name: "sb/host-collectors/run-host/worker-1/sysctl.txt", content: sysctl(0) },
      { name: "sb/host-collectors/ctrl-0/run-host/sysctl.txt", content: sysctl(1) },
      { name: "sb/host-collectors/run-host/worker-1/konnectivity-agent.log", content: `${agentLine}\n` },
    ]));
    const report = analyse(path);
    expect(report.inventory.nodes.map((n) => n.name)).toEqual(["ctrl-0", "worker-1"]);
    expect(report.findings[0]?.summary).toContain("`net.ipv4.ip_forward` is 0 on worker-1");
  });
});
