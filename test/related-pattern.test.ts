import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadLibrary, type PatternLibrary } from "../src/match/load.js";
import type { Pattern } from "../src/match/pattern.js";
import { informativeWords, RelatedPatternIndex, relatedPatternIndex } from "../src/match/related-pattern.js";
import { templateOf } from "../src/match/template.js";
import { analyzeBundle } from "../src/pipeline/analyze.js";

let library: PatternLibrary;
let index: RelatedPatternIndex;

beforeAll(async () => {
  library = await loadLibrary();
  index = relatedPatternIndex(library.patterns);
});

describe("informativeWords", () => {
  it("keeps what a message is about and drops what every error says", () => {
    expect(informativeWords('level=error msg="Failed to get lease" err="Get https://x/apis/v1: dial tcp: connection refused"')).toEqual(["lease", "dial", "tcp", "connection", "refused"]);
    expect(informativeWords("kube-vip read_only")).toEqual(["kube-vip", "read_only"]);
  });
});

describe("possibly related pattern", () => {
  it("names the pattern for a line worded like it but that its regex does not take", () => {
    // The built-in pattern is the fatal form; kube-vip also logs it at level=error and goes on.
    const line = 'time="2024-10-10T14:12:27Z" level=error msg="Error configuring IPVS conntrack: open /proc/sys/net/ipv4/vs/conntrack: read-only file system"';
    const pattern = library.patterns.find((p) => p.id === "kube-vip-ipvs-conntrack-readonly") as Pattern;
    expect(pattern.regex.test(line)).toBe(false);
    expect(index.related(templateOf(line))?.id).toBe("kube-vip-ipvs-conntrack-readonly");
    expect(index.related(templateOf("error: Metrics API not available"))?.id).toBe("apiservice-metrics-unavailable");
    expect(index.related(templateOf('level=fatal msg="failed to start: failed to create k8s client: unable to contact k8s api-server: Get \\"https://10.96.0.1:443/version\\""'))?.id).toBe("cilium-apiserver-unreachable");
  });

  it("finds a pattern from its own example lines, nearly always itself", () => {
    let self = 0;
    let total = 0;
    const wrong: string[] = [];
    for (const p of library.patterns) {
      for (const e of p.examples.match) {
        total++;
        const hint = index.related(templateOf(e.line));
        if (hint?.id === p.id) self++;
        else if (hint) wrong.push(`${p.id} -> ${hint.id}`);
      }
    }
    // Measured 299 of 305; the others name a sibling (kubeadm swap preflight -> kubelet swap).
    expect(self / total).toBeGreaterThan(0.95);
    expect(wrong.length).toBeLessThan(total * 0.03);
  });

  it("stays silent for errors that only share generic words with the library", () => {
    const unrelated = [
      "--logtostderr log to standard error instead of files (default true)",
      "widget-controller: watch of *v1.Widget ended with: too old resource version: 123 (456)",
      '"Kube-proxy configuration may be incomplete or incorrect" err="nodePortAddresses is unset; NodePort connections will be accepted on all local IPs"',
      "tar: error exit delayed from previous errors",
      'reflector.go:138: Failed to list *v1beta1.CertificateSigningRequest: the server could not find the requested resource',
      "error",
      "",
    ];
    for (const line of unrelated) expect(index.related(templateOf(line)), line).toBeUndefined();
  });

  it("is deterministic and the same from a fresh index", () => {
    const fresh = new RelatedPatternIndex(library.patterns);
    const lines = library.patterns.flatMap((p) => p.examples.noMatch.slice(0, 1));
    for (const l of lines) expect(fresh.related(templateOf(l))).toEqual(index.related(templateOf(l)));
  });

  it("shows in the report's unclassified section as a hint", async () => {
    const report = await analyzeBundle(join(import.meta.dirname, "..", "samples", "kubespray-kube-vip-first-master"), { library });
    const cluster = report.unclassified.find((u) => u.template.includes("IPVS conntrack"));
    expect(cluster?.related).toMatchObject({ id: "kube-vip-ipvs-conntrack-readonly" });
    expect(cluster?.related?.score).toBeGreaterThanOrEqual(0.5);
    // Hints are rare on purpose: most unknown shapes get none.
    expect(report.unclassified.filter((u) => u.related).length).toBeLessThan(report.unclassified.length / 2);
  });
});
