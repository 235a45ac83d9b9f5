import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { classifyFile, componentFromPath, podFromPath } from "../src/detect/classify.js";
import { splitLines } from "../src/ingest/lines.js";
import { escapeControlChars, normalizeEntryPath } from "../src/ingest/paths.js";
import { looksBinary, sniffFormat } from "../src/ingest/sniff.js";
import { templateOf } from "../src/match/template.js";
import { looksLikeIpAddr, looksLikeIpAddrJson, parseIpAddrJson, parseIpAddrText } from "../src/parse/facts/ip-addr.js";
import { findClusterConfig, looksLikeK0sConfig, readK0sConfig } from "../src/parse/facts/k0s-config.js";
import { looksLikeKubeObjects, readKubeObjects } from "../src/parse/facts/kube-objects.js";
import { looksLikeKubesprayVars, readKubesprayVars, topLevelKeyLines } from "../src/parse/facts/kubespray.js";
import { looksLikeServiceStatus, parseServiceStatusJson, parseServiceStatusText } from "../src/parse/facts/services.js";
import { looksLikeSysctl, parseSysctlJson, parseSysctlText } from "../src/parse/facts/sysctl.js";
import { emptyFacts } from "../src/parse/facts/types.js";
import { normalizeLevel, parseLogLine, sniffLogFormat } from "../src/parse/log-line.js";
import { isoToUtc, klogToUtc, syslogToUtc } from "../src/parse/timestamps.js";
import type { LogFormat } from "../src/parse/types.js";
import { obfuscateReport } from "../src/report/obfuscate.js";
import { redactText } from "../src/report/redact.js";
import { repoRoot } from "./support/cli.js";
import { propertyRuns } from "./support/property.js";

/**
 * Every parser of src/parse/** and src/detect/classify.ts gets random and mutated input:
 * no exception may escape, and no output may grow out of proportion to its input (the
 * parsers run on attacker-controlled files of up to --max-fact-file-bytes).
 */
const formats: LogFormat[] = ["journald", "journald-iso", "journald-monotonic", "journald-export", "cri", "klog", "json", "logfmt", "iso", "dmesg", "plain"];

/** Fragments real lines are made of, so random lines reach deep into each format's parser. */
const fragments = [
  "E0505", "I1231", "W0229", "F0000", " 16:48:03.213218", " 25:61:61.9", "    1 ", "clientset.go:204]", "]", "[", "[  12.345678]", "[ -1.5]",
  "2025-05-05T16:48:03.213Z", "2025-13-45T99:99:99+99:99", "2025-05-05 16:48:03,123", "Feb 30 25:00:00", "Jan  1 00:00:00", "May 05 16:48:03",
  " stdout F ", " stderr P ", "host1", " kubelet[123]: ", " kernel: ", "k0scontroller[9]:", "MESSAGE=", "_HOSTNAME=",
  "level=error", 'level="warn"', "time=\"2025-05-05T16:48:03Z\"", "msg=", '{"level":"error","ts":1746463683.1,"msg":"x"}', '{"ts":"', '{"', "}", "{}", "[]",
  "ERROR", "panic:", "\u0000", "\u001b[31m", "\ufffd", "\ud800", "é", "🙂", " ", "\t", "\r", "\\", '"', "'", "=", ":", ",", "0", "-1", "1e308", "NaN",
];
const lineArb = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: "grapheme", maxLength: 100 }),
  fc.array(fc.constantFrom(...fragments), { maxLength: 20 }).map((parts) => parts.join("")),
);
const textArb = fc.oneof(
  fc.array(lineArb, { maxLength: 30 }).map((lines) => lines.join("\n")),
  fc.string({ unit: "binary", maxLength: 2000 }),
);
const yearArb = fc.record({ year: fc.option(fc.integer({ min: -5000, max: 300000 }), { nil: undefined }), month: fc.option(fc.integer({ min: -20, max: 40 }), { nil: undefined }) });

/** Real fact files of the fixtures, to mutate: random text rarely looks enough like them. */
function fixture(path: string): string {
  return readFileSync(join(repoRoot, "test", "fixtures", path), "utf8");
}
const seeds = {
  ipAddr: fixture("konnectivity/ctrl-0/sos_commands/networking/ip_-d_address"),
  sysctl: fixture("konnectivity/ctrl-0/sos_commands/kernel/sysctl_-a"),
  services: fixture("konnectivity/ctrl-0/sos_commands/systemd/systemctl_status_firewalld"),
  k0s: fixture("dual-stack-ipv6-first/k0s.yaml"),
  nodes: fixture("nllb/cluster-resources/nodes.json"),
  pods: fixture("nllb/cluster-resources/pods/kube-system.json"),
  apiservices: fixture("konnectivity/cluster/apiservices.json"),
  kubespray: fixture("kubespray/inventory/mycluster/group_vars/k8s_cluster/k8s-cluster.yml"),
};

/** Mutations of a real file: cut, flip, splice, repeat, interleave random text. */
function mutated(seed: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc.nat({ max: seed.length }).map((n) => seed.slice(0, n)),
    fc.tuple(fc.nat({ max: seed.length }), lineArb).map(([at, s]) => seed.slice(0, at) + s + seed.slice(at)),
    fc.tuple(fc.nat({ max: seed.length }), fc.nat({ max: 200 })).map(([at, n]) => seed.slice(0, at) + seed.slice(at + n)),
    fc.array(fc.tuple(fc.nat({ max: Math.max(0, seed.length - 1) }), fc.constantFrom(..."\n\t :{}[]\"'-#&*!|>0aZ\u0000")), { minLength: 1, maxLength: 20 }).map((edits) => {
      const chars = [...seed];
      for (const [at, c] of edits) chars[at] = c;
      return chars.join("");
    }),
    fc.integer({ min: 2, max: 4 }).map((n) => seed.repeat(n)),
  );
}

/** Parsed output must stay within a constant factor of the input. */
function bounded(output: unknown, input: string | unknown): void {
  const size = (v: unknown): number => JSON.stringify(v, (_k, x: unknown) => (x instanceof Map ? [...x] : typeof x === "bigint" ? String(x) : x))?.length ?? 0;
  const inSize = typeof input === "string" ? input.length : size(input);
  expect(size(output)).toBeLessThanOrEqual(20 * inSize + 20_000);
}

function parseJsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const run = <T>(arb: fc.Arbitrary<T>, predicate: (value: T) => void): void => fc.assert(fc.property(arb, predicate), propertyRuns());

describe("log lines: every format parser takes any text", () => {
  it("parseLogLine, normalizeLevel and sniffLogFormat never throw", () => {
    run(fc.tuple(lineArb, fc.constantFrom(...formats), yearArb), ([line, format, ref]) => {
      const parsed = parseLogLine(line, format, ref);
      expect(typeof parsed.message).toBe("string");
      bounded(parsed, line);
      normalizeLevel(line);
    });
    run(fc.array(lineArb, { maxLength: 25 }), (lines) => {
      expect(formats).toContain(sniffLogFormat(lines));
    });
  });

  it("timestamp parsers return a valid ISO string or nothing", () => {
    const valid = (s: string | undefined): void => {
      if (s !== undefined) expect(Number.isNaN(Date.parse(s))).toBe(false);
    };
    run(fc.tuple(lineArb, lineArb, lineArb, yearArb), ([a, b, c, ref]) => {
      valid(isoToUtc(a));
      valid(syslogToUtc(a, b, c, ref.year, ref.month));
      valid(klogToUtc(a, b, ref.year, ref.month));
    });
  });

  it("templateOf, redaction and escaping never throw and stay proportional", () => {
    run(lineArb, (line) => {
      bounded(templateOf(line), line);
      const redacted = redactText(line);
      expect(redactText(redacted)).toBe(redacted);
      bounded(redacted, line);
      // eslint-disable-next-line no-control-regex
      expect(escapeControlChars(line)).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
      const p = normalizeEntryPath(line);
      expect(p.path.split("/")).not.toContain("..");
      expect(p.path.startsWith("/")).toBe(false);
    });
  });
});

describe("fact parsers take random and mutated files", () => {
  it("ip addr (text and JSON)", () => {
    run(fc.oneof(textArb, mutated(seeds.ipAddr)), (text) => {
      looksLikeIpAddr(text);
      looksLikeIpAddrJson(text);
      bounded(parseIpAddrText(text), text);
      const json = parseJsonOrText(text);
      if (typeof json !== "string") bounded(parseIpAddrJson(json), text);
    });
    run(fc.jsonValue(), (value) => {
      parseIpAddrJson(value);
    });
  });

  it("sysctl (text and JSON)", () => {
    run(fc.oneof(textArb, mutated(seeds.sysctl)), (text) => {
      looksLikeSysctl(text);
      bounded(parseSysctlText(text), text);
    });
    run(fc.jsonValue(), (value) => {
      parseSysctlJson(value);
    });
  });

  it("systemctl status and services JSON", () => {
    run(fc.oneof(textArb, mutated(seeds.services)), (text) => {
      looksLikeServiceStatus(text);
      bounded(parseServiceStatusText(text, "f"), text);
    });
    run(fc.jsonValue(), (value) => {
      parseServiceStatusJson(value, "f");
    });
  });

  it("k0s ClusterConfig, kubespray vars and kube objects from any YAML/JSON document", async () => {
    const { parseAllDocuments } = await import("yaml");
    const docsOf = (text: string): unknown[] => {
      try {
        return parseAllDocuments(text).flatMap((d) => ("toJS" in d ? [d.toJS({ maxAliasCount: 100 })] : []));
      } catch {
        return [parseJsonOrText(text)];
      }
    };
    const structured = fc.oneof(mutated(seeds.k0s), mutated(seeds.nodes), mutated(seeds.pods), mutated(seeds.apiservices), mutated(seeds.kubespray), textArb);
    run(structured, (text) => {
      looksLikeK0sConfig(text, "k0s.yaml");
      looksLikeKubeObjects(text);
      looksLikeKubesprayVars("inventory/group_vars/all.yml", text);
      bounded(topLevelKeyLines(text), text);
      for (const doc of docsOf(text)) {
        const config = findClusterConfig(doc);
        if (config) bounded(readK0sConfig(config, { file: "k0s.yaml" }), doc);
        readKubesprayVars(doc);
        const kube = emptyFacts().kube;
        bounded(readKubeObjects(doc, "f.json", kube), doc);
        bounded(kube, doc);
      }
    });
    // Objects shaped like Kubernetes ones but with every field of a random type.
    const kubeLike = fc.record({
      apiVersion: fc.oneof(fc.constant("v1"), fc.jsonValue()),
      kind: fc.constantFrom("List", "Node", "Pod", "Service", "Endpoints", "APIService", "ConfigMap", "Event", "ClusterConfig", "Cluster", "NodeList", "PodList"),
      metadata: fc.oneof(fc.record({ name: fc.jsonValue(), namespace: fc.jsonValue() }), fc.jsonValue()),
      spec: fc.jsonValue(),
      status: fc.jsonValue(),
      items: fc.array(fc.jsonValue(), { maxLength: 4 }),
    }, { requiredKeys: ["kind"] });
    run(kubeLike, (doc) => {
      findClusterConfig(doc);
      const config = findClusterConfig(doc);
      if (config) readK0sConfig(config, { file: "x" });
      readKubeObjects(doc, "f.json", emptyFacts().kube);
      readKubesprayVars(doc);
    });
  });
});

describe("detect: classification of any file", () => {
  const pathArb = fc.oneof(
    fc.string({ maxLength: 120 }),
    fc.array(fc.constantFrom("var", "log", "pods", "kube-system_x_uid", "containers", "c", "0.log", "..", "", "sysctl", "ip_addr", "k0s.yaml", "values.yaml", "journalctl_--unit_kubelet", "hostname", "\u001b[2J", "a_b_c-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.log"), { maxLength: 8 }).map((p) => p.join("/")),
  );
  it("classifyFile, componentFromPath, podFromPath, looksBinary and sniffFormat never throw", () => {
    run(fc.tuple(pathArb, fc.oneof(textArb, ...Object.values(seeds).map(mutated)), fc.boolean()), ([path, head, binary]) => {
      expect(typeof classifyFile(path, head, binary)).toBe("string");
      componentFromPath(path);
      podFromPath(path);
    });
    run(fc.uint8Array({ maxLength: 5000 }), (bytes) => {
      const buffer = Buffer.from(bytes);
      looksBinary(buffer);
      sniffFormat(buffer);
    });
  });
});

describe("ingest: line splitting of any byte stream", () => {
  it("never holds more than the line limit and loses no line", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 3000 }), fc.array(fc.nat({ max: 3000 }), { maxLength: 6 }), fc.integer({ min: 1, max: 200 }), async (bytes, cuts, max) => {
        const buffer = Buffer.from(bytes);
        const points = [...new Set([0, ...cuts.map((c) => Math.min(c, buffer.length)), buffer.length])].sort((a, b) => a - b);
        async function* chunks(): AsyncGenerator<Buffer> {
          for (let i = 1; i < points.length; i++) yield buffer.subarray(points[i - 1], points[i]);
        }
        let count = 0;
        for await (const line of splitLines(chunks(), max)) {
          count++;
          expect(Buffer.byteLength(line.text)).toBeLessThanOrEqual(max * 3);
          expect(line.number).toBe(count);
        }
        const newlines = buffer.filter((b) => b === 0x0a).length;
        expect(count === newlines || count === newlines + 1).toBe(true);
      }),
      propertyRuns(),
    );
  });
});

describe("obfuscation of any report text", () => {
  it("never throws and leaves no collected IPv4 address", () => {
    const ipArb = fc.tuple(fc.integer({ min: 1, max: 223 }), fc.nat({ max: 255 }), fc.nat({ max: 255 }), fc.nat({ max: 255 })).map((o) => o.join("."));
    run(fc.tuple(fc.array(fc.oneof(lineArb, ipArb), { maxLength: 10 }), fc.array(fc.stringMatching(/^[a-z][a-z0-9-]{1,12}(\.[a-z]{2,6}){0,2}$/), { maxLength: 4 })), ([texts, nodes]) => {
      const report = { summary: texts.join(" "), findings: [{ id: "x", nodes, evidence: texts.map((text) => ({ file: "f", text, kind: "log" })) }], inventory: { nodes: nodes.map((name) => ({ name, files: 1 })) } };
      const out = JSON.stringify(obfuscateReport(report as never));
      for (const ip of texts.filter((t) => /^\d+\.\d+\.\d+\.\d+$/.test(t) && !/^(127|0|169\.254)\./.test(t))) {
        expect(out).not.toMatch(new RegExp(`(?<![\\d.])${ip.replace(/\./g, "\\.")}(?![\\d]|\\.\\d)`));
      }
    });
  });
});
