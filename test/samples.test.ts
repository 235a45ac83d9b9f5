import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Report } from "../src/report/model.js";
import { packSample } from "../src/tools/pack-samples.js";
import { tempDir } from "./support/archives.js";
import { repoRoot, runCli } from "./support/cli.js";

const samples = join(repoRoot, "samples");

/** What each shipped sample must diagnose, with values the fix must carry. */
const expected: Record<string, { id: string; values: string[] } | null> = {
  "k0s-tailscale-node-ip": { id: "kubelet-node-ip-vpn-interface", values: ["100.96.12.7", "tailscale0", "--node-ip=192.168.1.50", "enp1s0"] },
  "k0s-konnectivity-firewalld": { id: "konnectivity-agent-unreachable", values: ["192.168.1.41:8132", "`net.ipv4.ip_forward` is 0 on worker-1", "firewall-offline-cmd --add-masquerade"] },
  "k0s-dual-stack-cidr-order": { id: "dual-stack-service-cidr-order", values: ["service-cluster-ip-range: 'fd01::/108,10.96.0.0/12'", "2001:db8:10::10", "10.96.0.1"] },
  "kubespray-kube-vip-first-master": { id: "kubespray-kube-vip-first-master", values: ["node1", "192.168.10.100", "`kube_vip_lb_fwdmethod: masquerade`", "#11647", "kube_vip_enabled: false"] },
  "k0s-nllb-hostnetwork": { id: "nllb-hostnetwork-service-host", values: ["10.0.0.11", "cilium-operator", "k8sServiceHost: localhost", "k8sServicePort: 7443"] },
  "healthy-k0s": null,
  "near-miss-tailscale-physical-node-ip": null,
  "near-miss-dual-stack-ipv6-first": null,
  "near-miss-kube-vip-no-cilium-kpr": null,
  "near-miss-nllb-cilium-localhost": null,
};

const packed = readdirSync(samples).filter((n) => n.endsWith(".tar.gz")).map((n) => n.replace(/\.tar\.gz$/, "")).sort();

describe("shipped samples", () => {
  it("near miss: konnectivity errors with correct sysctls and no firewall never blame sysctls or firewalld", () => {
    const run = runCli([join(samples, "near-miss-konnectivity-sysctl-ok.tar.gz"), "--format", "json"]);
    const report = JSON.parse(run.stdout) as Report;
    const f = report.findings.find((x) => x.id === "konnectivity-agent-unreachable");
    expect(f?.confidence).toBe("low");
    expect(`${f?.summary}${f?.fix}`).not.toMatch(/sysctl -w|ip_forward` is|firewalld is active/);
    expect(report.findings.filter((x) => x.id !== "konnectivity-agent-unreachable" && x.severity !== "info")).toEqual([]);
  });

  it("every sample folder has its packed .tar.gz, up to date byte for byte (npm run samples)", async () => {
    const dir = await tempDir("ba-samples-");
    for (const name of packed) {
      expect(existsSync(join(samples, name)), `samples/${name}/ source folder`).toBe(true);
      await packSample(join(samples, name), name, join(dir, `${name}.tar.gz`));
      expect(readFileSync(join(dir, `${name}.tar.gz`)).equals(readFileSync(join(samples, `${name}.tar.gz`))), `${name}.tar.gz is stale: run npm run samples`).toBe(true);
    }
  });

  for (const name of packed.filter((n) => n in expected)) {
    const want = expected[name];
    it(`${name}: ${want ? `diagnoses ${want.id} first with the bundle's own values` : "raises nothing at warning or above"}`, () => {
      const run = runCli([join(samples, `${name}.tar.gz`), "--format", "json"]);
      expect(run.code).toBe(0);
      const report = JSON.parse(run.stdout) as Report;
      const serious = report.findings.filter((f) => f.severity !== "info");
      if (!want) {
        expect(serious.map((f) => f.id)).toEqual([]);
        return;
      }
      const first = report.findings[0];
      expect(first?.id).toBe(want.id);
      expect(first?.confidence).toBe("high");
      const text = `${first?.summary}\n${first?.cause}\n${first?.fix}`;
      for (const v of want.values) expect(text).toContain(v);
      expect(serious.slice(1).map((f) => f.id)).toEqual([]);
    });
  }
});
