import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Marked } from "marked";
import { describe, expect, it } from "vitest";
import type { Report } from "../src/report/model.js";
import { makeTarGz, tempDir, writeTemp } from "./support/archives.js";
import { repoRoot, runCli } from "./support/cli.js";

/**
 * A bundle written by an attacker: its log lines, file names and host name hold HTML,
 * scripts, javascript: links, images that would fetch, and Markdown that tries to close our
 * code blocks and tables. A user pattern captures the hostile text into a finding's summary,
 * explanation and fix, the Markdown fields the HTML renders with marked.
 */
const payload = '<script>alert(1)</script> <img src=x onerror=alert(2)> [click](javascript:alert(3)) ![p](http://evil.example/p.png) </pre></details><h1>pwned</h1> | a | b | ``` **bold**';
const hostileLine = (n: number): string => `2025-06-11T08:16:${String(10 + n).padStart(2, "0")}.000000000Z stderr F E0611 08:16:${10 + n}.000000       1 x.go:1] hostile-marker ${payload}`;
const hostileError = `2025-06-11T08:17:00.000000000Z stderr F E0611 08:17:00.000000       1 y.go:2] failed to sync: <script>alert(8)</script> <iframe src="http://evil.example/"></iframe> [x](javascript:alert(9))`;

const patternYaml = `id: hostile-marker
title: "Hostile <b>marker</b> [t](javascript:alert(10))"
area: hostile
severity: error
keywords:
  - "hostile-marker"
regex: 'hostile-marker (?<payload>[^\\n]*)'
summary: "Payload: {{payload}}"
explanation: |
  Because {{payload}}
fix: |
  Run this:
  \`\`\`sh
  echo {{payload}}
  \`\`\`
  [a link](javascript:alert(11)) and <img src=x onerror=alert(12)>
references:
  - https://example.invalid/ref
source: https://example.invalid/src
examples:
  match:
    - line: 'hostile-marker x'
  noMatch:
    - 'benign line'
`;

async function hostileBundle(): Promise<{ bundle: string; patterns: string }> {
  const lines = Array.from({ length: 5 }, (_, i) => hostileLine(i)).join("\n");
  const bundle = await writeTemp(
    "hostile.tar.gz",
    await makeTarGz([
      { name: "b/node-1/hostname", content: 'evil"><script>alert(7)</script>\n' },
      { name: "b/node-1/var/log/pods/kube-system_agent-abcde_1234/agent/0.log", content: `${lines}\n${hostileError}\n` },
      { name: "b/node-1/<img src=x onerror=alert(6)>.log", content: `${hostileLine(9)}\n` },
    ]),
  );
  const patterns = await tempDir("ba-hostile-patterns-");
  await mkdir(join(patterns, "hostile"));
  await writeFile(join(patterns, "hostile", "hostile-marker.yaml"), patternYaml);
  return { bundle, patterns };
}

/** Markup that would run, fetch or navigate if a browser rendered it. */
function liveMarkup(html: string): string[] {
  const problems: string[] = [];
  const tags = html.match(/<[a-zA-Z][^>]*>/g) ?? [];
  for (const tag of tags) {
    if (/^<(script|img|iframe|object|embed|link|base|form|meta http-equiv="refresh")\b/i.test(tag)) problems.push(tag);
    if (/\son[a-z]+\s*=/i.test(tag)) problems.push(tag);
    if (/\b(href|src|action)\s*=\s*["']?\s*(javascript|data|vbscript):/i.test(tag)) problems.push(tag);
    if (/\bsrc\s*=/i.test(tag)) problems.push(tag);
  }
  // The payload's own closing tags must not have ended our <pre>/<details> and opened a heading.
  if (html.includes("<h1>pwned")) problems.push("<h1>pwned");
  return problems;
}

describe("HTML report", () => {
  it("shows a hostile bundle's text as text: no script, image, handler, javascript: link or fetch", async () => {
    const { bundle, patterns } = await hostileBundle();
    const run = runCli([bundle, "--patterns", patterns, "--format", "html"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const html = run.stdout;
    // The finding is there, with the hostile text visible but inert.
    expect(html).toContain("hostile-marker");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("onerror=alert(2)");
    expect(liveMarkup(html)).toEqual([]);
    // The injected closing tags did not close ours.
    expect(html.match(/<details\b/g)?.length).toBe(html.match(/<\/details>/g)?.length);
    expect(html.match(/<pre\b/g)?.length).toBe(html.match(/<\/pre>/g)?.length);
    // Self-contained: no stylesheet or font from elsewhere, and a policy that forbids it anyway.
    expect(html).not.toMatch(/url\(|@import/);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:`);
  });

  it("keeps the Markdown inert too, even through a renderer that does not sanitise", async () => {
    const { bundle, patterns } = await hostileBundle();
    const run = runCli([bundle, "--patterns", patterns]);
    expect(run.code).toBe(0);
    const rendered = new Marked({ gfm: true, async: false }).parse(run.stdout) as string;
    expect(liveMarkup(rendered)).toEqual([]);
    // Mermaid reads `:` `;` `#` as syntax: a hostile host name must not break the chart.
    const block = (/```mermaid\n([\s\S]*?)```/.exec(run.stdout)?.[1] ?? "").replace(/^%%\{init:.*\}%%\n/, "");
    expect(block).toContain("gantt");
    expect(block).not.toMatch(/[<>"]/);
    for (const task of block.split("\n").filter((l) => /:(crit|active|done|milestone), /.test(l))) expect(task).toMatch(/^ {4}[^:;#]+ :[a-z]+, [a-z]\d+, [\d :-]+, [\d :-]+$/);
  });

  it("has what a reader scans for: severity badges, contents, the timeline picture, collapsible evidence, fix blocks", () => {
    const run = runCli([join(repoRoot, "samples", "k0s-konnectivity-firewalld.tar.gz"), "--format", "html"]);
    expect(run.code).toBe(0);
    const html = run.stdout;
    expect(html).toContain('<span class="badge sev-error">error</span>');
    expect(html).toMatch(/<nav class="toc"[^>]*>.*href="#findings".*href="#timeline".*href="#finding-1"/s);
    expect(html).toMatch(/<figure class="timeline-figure"><svg class="timeline"[^>]*role="img"/);
    expect(html).toMatch(/<details class="evidence"><summary>Evidence/);
    expect(html).toMatch(/<div class="fix"><h4>Fix<\/h4>[\s\S]*<pre><code class="language-sh">[^<]*sudo sysctl -w net\.ipv4\.ip_forward=1/);
    expect(html).toContain('<a href="docs/findings/konnectivity-agent-unreachable.md">');
    expect(html).toContain("@media (prefers-color-scheme: dark)");
    expect(html).toContain("@media print");
    expect(html).not.toMatch(/<script/i);
  });

  it("is byte-identical from one run to the next", () => {
    const path = join(repoRoot, "samples", "k0s-konnectivity-firewalld.tar.gz");
    const a = runCli([path, "--format", "html"]);
    const b = runCli([path, "--format", "html"]);
    expect(a.stdout.length).toBeGreaterThan(1000);
    expect(a.stdout).toBe(b.stdout);
  });
});

describe("report polish", () => {
  it("opens with a sentence a non-expert can act on: what is down, why, where, since when", () => {
    const run = runCli([join(repoRoot, "samples", "k0s-konnectivity-firewalld.tar.gz"), "--format", "json"]);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.summary).toMatch(/^\*\*Diagnosis:\*\* The metrics API and kubectl logs\/exec are down because konnectivity agents on worker-1 cannot reach 192\.168\.1\.41:8132/);
    expect(report.summary).toContain("`net.ipv4.ip_forward` is 0 on worker-1");
    expect(report.summary).toContain("It started at 2025-05-05 15:03 UTC on worker-1 and was still happening when the logs end (17:02 UTC).");
  });

  it("dates the start from the finding's own lines, not an earlier downstream symptom on another node", () => {
    // In this fixture the API server on ctrl-0 logs "No agent available" two seconds before the agent's first dial error.
    const report = JSON.parse(runCli([join(repoRoot, "test", "fixtures", "konnectivity"), "--format", "json"]).stdout) as Report;
    expect(report.timeline.entries[0]?.first).toBe("2025-06-11T08:16:08.000Z");
    expect(report.summary).toContain("It started at 2025-06-11 08:16:10 UTC on worker-1 and was still happening when the logs end (08:16:59 UTC).");
  });

  it("Markdown: summary first, findings table linking the finding docs, then timeline, then details", () => {
    const md = runCli([join(repoRoot, "samples", "k0s-konnectivity-firewalld.tar.gz")]).stdout;
    const order = ["**Diagnosis:**", "## Findings", "## Timeline", "## Details", "#### Fix", "## Inventory"].map((h) => md.indexOf(h));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(md).toContain("[`konnectivity-agent-unreachable`](docs/findings/konnectivity-agent-unreachable.md)");
  });

  it("says plainly when nothing serious was found", async () => {
    const bundle = await writeTemp("quiet.tar.gz", await makeTarGz([{ name: "b/n/kubelet.log", content: "I0611 08:16:10.000000 1 a.go:1] all good\n" }]));
    const report = JSON.parse(runCli([bundle, "--format", "json"]).stdout) as Report;
    expect(report.findings).toEqual([]);
    expect(report.summary).toMatch(/^\*\*No known failure was found\.\*\*/);
    expect(report.timeline.entries).toEqual([]);
  });
});
