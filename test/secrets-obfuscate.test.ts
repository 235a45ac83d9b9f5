import { isIPv4 } from "node:net";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadLibrary } from "../src/match/load.js";
import { analyzeBundle } from "../src/pipeline/analyze.js";
import type { Report } from "../src/report/model.js";
import { obfuscateReport } from "../src/report/obfuscate.js";
import { IpPseudonyms } from "../src/report/obfuscate-ip.js";
import { prepareReport, renderReport } from "../src/report/render.js";
import { renderTerminalSummary } from "../src/report/terminal.js";
import { repoRoot } from "./support/cli.js";

function v4Bits(address: string): string {
  return address.split(".").map((o) => Number(o).toString(2).padStart(8, "0")).join("");
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i;
}

describe("IP pseudonyms", () => {
  const addresses = ["10.96.0.0", "10.96.0.1", "10.100.3.4", "10.244.1.5", "10.244.1.200", "10.244.2.7", "192.168.1.41", "192.168.1.42", "192.168.7.1", "172.16.0.10", "8.8.8.8"];
  const ips = new IpPseudonyms(addresses, []);

  it("keeps subnet structure: shared prefixes of 8 bits or more have exactly the same length after mapping", () => {
    for (const a of addresses) {
      for (const b of addresses) {
        const before = commonPrefix(v4Bits(a), v4Bits(b));
        const after = commonPrefix(v4Bits(ips.v4Of(a)), v4Bits(ips.v4Of(b)));
        if (before >= 8) expect(after, `${a} ${b}`).toBe(before);
        else expect(after, `${a} ${b}`).toBeLessThan(8);
      }
    }
  });

  it("maps every address to a different, valid address that is not the original", () => {
    const mapped = addresses.map((a) => ips.v4Of(a));
    expect(new Set(mapped).size).toBe(addresses.length);
    for (const [i, m] of mapped.entries()) {
      expect(isIPv4(m)).toBe(true);
      expect(m).not.toBe(addresses[i]);
    }
  });

  it("keeps a network address a network address and the host number as it was", () => {
    expect(ips.v4Of("10.96.0.0").endsWith(".0.0")).toBe(true);
    expect(ips.v4Of("192.168.1.41").endsWith(".41")).toBe(true);
  });

  it("keeps addresses that are the same on every machine", () => {
    const withSpecial = new IpPseudonyms(["127.0.0.1", "0.0.0.0", "255.255.255.0", "169.254.169.254", "10.0.0.1"], ["::1", "::", "2001:db8::1"]);
    expect(withSpecial.v4Of("127.0.0.1")).toBe("127.0.0.1");
    expect(withSpecial.v4Of("0.0.0.0")).toBe("0.0.0.0");
    expect(withSpecial.v4Of("255.255.255.0")).toBe("255.255.255.0");
    expect(withSpecial.v4Of("169.254.169.254")).toBe("169.254.169.254");
    expect(withSpecial.v6Of("::1")).toBe("::1");
    expect(withSpecial.v6Of("2001:db8::1")).not.toBe("2001:db8::1");
    expect(withSpecial.v6Of("2001:db8::1")).toMatch(/^fd00:/);
  });

  it("keeps IPv6 prefixes shared", () => {
    const six = new IpPseudonyms([], ["2001:db8:1::10", "2001:db8:1::11", "2001:db8:2::10"]);
    const [a, b, c] = ["2001:db8:1::10", "2001:db8:1::11", "2001:db8:2::10"].map((x) => six.v6Of(x));
    expect(a?.split("::")[0]).toBe(b?.split("::")[0]);
    expect(a).not.toBe(c);
  });
});

function report(strings: Partial<Report> & Record<string, unknown>): Report {
  return strings as unknown as Report;
}

describe("obfuscateReport", () => {
  const input = report({
    schemaVersion: "1.2",
    tool: { name: "bundle-analyze", version: "1", patterns: 1 },
    bundle: { name: "b.tar.gz", container: "gzip" },
    summary: "agents on worker-1.corp.example.com cannot reach 192.168.1.41:8132",
    findings: [
      {
        id: "konnectivity-agent-unreachable",
        references: ["https://kubernetes.io/docs/x"],
        nodes: ["worker-1.corp.example.com", "ctrl-0"],
        summary: "worker-1 dials 192.168.1.41; ctrl-0 listens on [2001:db8::41]:8132 and 127.0.0.1:10250",
        evidence: [{ file: "worker-1/var/log/pods/kube-system_kube-proxy-worker-1_x/0.log", text: "ip-10-0-3-7.ec2.internal says 10.0.3.7 at 16:48:03", node: "worker-1", kind: "log" }],
        keyValues: { controller: "192.168.1.41:8132" },
      },
    ],
    inventory: { nodes: [{ name: "ctrl-0", files: 3 }, { name: "worker-1", files: 4 }], gaps: [] },
    warnings: [{ code: "unsafe-path", path: "ctrl-0/x", message: "m" }],
    redaction: { enabled: true },
  });
  let out: Report;
  let text: string;
  beforeAll(() => {
    out = obfuscateReport(input);
    text = JSON.stringify(out);
  });

  it("leaves no original address, host name or domain", () => {
    for (const original of ["192.168.1.41", "2001:db8::41", "10.0.3.7", "ip-10-0-3-7", "worker-1", "ctrl-0", "corp.example.com"]) expect(text).not.toContain(original);
  });

  it("uses one pseudonym per value across the whole report", () => {
    const f = out.findings[0] as unknown as { nodes: string[]; summary: string; keyValues: Record<string, string>; evidence: { file: string; node: string; text: string }[] };
    const worker = out.inventory.nodes.find((n) => n.files === 4)?.name as string;
    const ctrl = out.inventory.nodes.find((n) => n.files === 3)?.name as string;
    expect(worker).toMatch(/^host-\d+$/);
    expect(ctrl).toMatch(/^host-\d+$/);
    expect(f.nodes).toEqual([`${worker}.domain-1.example`, ctrl]);
    expect(f.evidence[0]?.node).toBe(worker);
    expect(f.evidence[0]?.file.startsWith(`${worker}/`)).toBe(true);
    expect(f.evidence[0]?.file).toContain(`kube-proxy-${worker}_`);
    const controller = f.keyValues.controller?.split(":")[0] as string;
    expect(f.summary).toContain(`dials ${controller};`);
    expect(out.summary).toContain(`${controller}:8132`);
    // The cloud host name that spells an address follows the address.
    const ec2 = /ip-(\d+)-(\d+)-(\d+)-(\d+)/.exec(f.evidence[0]?.text ?? "");
    expect(ec2).not.toBeNull();
    expect(f.evidence[0]?.text).toContain(`says ${ec2?.slice(1).join(".")} `);
  });

  it("keeps the tool's own vocabulary, loopback, clock times and links", () => {
    const f = out.findings[0] as unknown as { id: string; references: string[]; summary: string; evidence: { text: string }[] };
    expect(f.id).toBe("konnectivity-agent-unreachable");
    expect(f.references).toEqual(["https://kubernetes.io/docs/x"]);
    expect(f.summary).toContain("127.0.0.1:10250");
    expect(f.evidence[0]?.text).toContain("16:48:03");
    expect(out.warnings[0]?.code).toBe("unsafe-path");
  });

  it("is deterministic", () => {
    expect(JSON.stringify(obfuscateReport(input))).toBe(text);
  });
});

describe("--obfuscate on a real sample, every format", () => {
  let raw: Report;
  beforeAll(async () => {
    raw = await analyzeBundle(join(repoRoot, "samples", "k0s-konnectivity-firewalld.tar.gz"), { library: await loadLibrary() });
  });

  it("keeps findings (computed on the original) and removes every address and node name from md, json, html and the terminal", () => {
    const plain = renderReport(raw, "json", true);
    const addresses = new Set([...plain.matchAll(/(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d]|\.\d)/g)].map((m) => m[0]).filter((a) => isIPv4(a) && !/^(127|0|255)\./.test(a)));
    const nodes = raw.inventory.nodes.map((n) => n.name);
    expect(addresses.size).toBeGreaterThan(0);
    expect(nodes.length).toBeGreaterThan(0);
    const outputs = [
      ...(["md", "json", "html"] as const).map((f) => renderReport(raw, f, true, { obfuscate: true })),
      renderTerminalSummary(prepareReport(raw, true, { obfuscate: true }), { color: false, width: 200 }),
    ];
    for (const output of outputs) {
      for (const a of addresses) expect(output).not.toContain(a);
      for (const n of nodes) expect(output).not.toMatch(new RegExp(`(?<![A-Za-z0-9])${n}(?![A-Za-z0-9])`));
    }
    const obfuscated = JSON.parse(outputs[1] as string) as Report;
    expect(obfuscated.findings.map((f) => f.id)).toEqual(raw.findings.map((f) => f.id));
  });

  it("changes nothing for callers that do not ask for it", () => {
    expect(renderReport(raw, "md", true, {})).toBe(renderReport(raw, "md", true));
    expect(renderReport(raw, "json", true, { obfuscate: false })).toBe(renderReport(raw, "json", true));
  });
});
