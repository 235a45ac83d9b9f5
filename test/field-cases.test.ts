import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../src/report/model.js";
import { packSample } from "../src/tools/pack-samples.js";
import { tempDir } from "./support/archives.js";
import { repoRoot, runCli } from "./support/cli.js";

// Each field case and its near miss, packed into a .tar.gz the way a customer sends it.
const fixtures = join(repoRoot, "test", "fixtures");
let packed: string;

beforeAll(async () => {
  packed = await tempDir("ba-fixtures-");
  for (const name of ["konnectivity", "konnectivity-sysctl-ok", "kubespray", "kubespray-calico-ok", "nllb", "nllb-localhost", "tailscale-physical", "dual-stack-ipv6-first"]) {
    await packSample(join(fixtures, name), name, join(packed, `${name}.tar.gz`));
  }
});

function analyse(name: string): Report {
  const run = runCli([join(packed, `${name}.tar.gz`), "--format", "json"]);
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as Report;
}

function seriousOthers(report: Report, id: string): string[] {
  return report.findings.filter((f) => f.id !== id && ["critical", "error", "warning"].includes(f.severity)).map((f) => f.id);
}

describe("konnectivity-agent-unreachable", () => {
  it("names the controller IP:port, the wrong sysctl and node, and firewalld, with high confidence", () => {
    const r = analyse("konnectivity");
    const f = r.findings[0];
    expect(f?.id).toBe("konnectivity-agent-unreachable");
    expect(f?.confidence).toBe("high");
    expect(f?.summary).toContain("192.168.1.41:8132");
    expect(f?.summary).toContain("`net.ipv4.ip_forward` is 0 on worker-1");
    expect(f?.fix).toContain("On **worker-1**");
    expect(f?.fix).toContain("sysctl -w net.ipv4.ip_forward=1");
    expect(f?.fix).toContain("modprobe br_netfilter");
    expect(f?.fix).toContain("firewall-offline-cmd --add-masquerade");
    expect(f?.evidence.some((e) => e.kind === "fact" && e.text === "net.ipv4.ip_forward = 0" && e.node === "worker-1" && e.line !== undefined)).toBe(true);
    expect(f?.evidence.some((e) => e.text.includes("FailedDiscoveryCheck"))).toBe(true);
    expect(seriousOthers(r, "konnectivity-agent-unreachable")).toEqual([]);
  });

  it("near miss: sysctls fine and no firewall — fires at low confidence without blaming sysctls", () => {
    const f = analyse("konnectivity-sysctl-ok").findings.find((x) => x.id === "konnectivity-agent-unreachable");
    expect(f?.confidence).toBe("low");
    expect(f?.summary).not.toMatch(/ip_forward` is|bridge-nf-call-iptables` is/);
    expect(f?.fix).not.toContain("sysctl -w");
    expect(f?.cause).toContain("neither is the cause");
  });
});

describe("kubespray-kube-vip-first-master", () => {
  it("joins the rc 124 failure with the inventory and the kube-vip lease error", () => {
    const r = analyse("kubespray");
    const f = r.findings[0];
    expect(f?.id).toBe("kubespray-kube-vip-first-master");
    expect(f?.confidence).toBe("high");
    expect(f?.summary).toContain("k8s-cp1");
    expect(f?.summary).toContain("192.168.10.100");
    expect(f?.cause).toContain("`kube_vip_enabled: true`");
    expect(f?.cause).toContain("`cilium_kube_proxy_replacement: true`");
    expect(f?.fix).toContain("kube_vip_enabled: false");
    expect(f?.fix).toContain("#11422");
    expect(f?.evidence.some((e) => e.kind === "fact" && e.text.split("\n")[0] === "kube_vip_enabled: true" && e.line === 3 && e.file.endsWith("addons.yml"))).toBe(true);
    expect(seriousOthers(r, f?.id ?? "")).toEqual([]);
  });

  it("near miss: kube-vip with calico and a successful init raises nothing", () => {
    expect(analyse("kubespray-calico-ok").findings.map((f) => f.id)).toEqual([]);
  });
});

describe("nllb-hostnetwork-service-host", () => {
  it("names the pinned controller IP, the hostNetwork pod and the values to set", () => {
    const r = analyse("nllb");
    const f = r.findings[0];
    expect(f?.id).toBe("nllb-hostnetwork-service-host");
    expect(f?.confidence).toBe("high");
    expect(f?.summary).toContain("10.0.0.11 (ctrl-a)");
    expect(f?.summary).toContain("cilium-operator");
    expect(f?.fix).toContain("k8sServiceHost: localhost");
    expect(f?.fix).toContain("k8sServicePort: 7443");
    expect(seriousOthers(r, f?.id ?? "")).toEqual([]);
  });

  it("near miss: Cilium already on localhost:7443 raises nothing", () => {
    expect(analyse("nllb-localhost").findings.map((f) => f.id)).toEqual([]);
  });
});

describe("near misses of the VPN and dual-stack cases", () => {
  it("Tailscale present but the node IP on the physical NIC raises nothing", () => {
    expect(analyse("tailscale-physical").findings.map((f) => f.id)).toEqual([]);
  });

  it("dual-stack with the IPv6 service range first raises nothing", () => {
    expect(analyse("dual-stack-ipv6-first").findings.map((f) => f.id)).toEqual([]);
  });
});

describe("report properties", () => {
  it("is byte-identical across runs", () => {
    const a = runCli([join(packed, "konnectivity.tar.gz")]);
    const b = runCli([join(packed, "konnectivity.tar.gz")]);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).toContain("`konnectivity/worker-1/var/log/pods/");
  });

  it("exits 1 with --fail-on error when an error finding exists, 0 when none", () => {
    expect(runCli([join(packed, "konnectivity.tar.gz"), "--fail-on", "error", "-q"]).code).toBe(1);
    expect(runCli([join(packed, "nllb-localhost.tar.gz"), "--fail-on", "warning", "-q"]).code).toBe(0);
  });
});
