import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Finding } from "../src/diagnose/finding.js";
import type { Report } from "../src/report/model.js";
import { renderTerminalSummary } from "../src/report/terminal.js";
import { tempDir } from "./support/archives.js";
import { repoRoot, runCli } from "./support/cli.js";

const sample = join(repoRoot, "samples", "k0s-konnectivity-firewalld.tar.gz");
const report = JSON.parse(runCli([sample, "--format", "json"]).stdout) as Report;
const ansi = /\x1b\[[0-9;]*m/g;

function visibleWidths(text: string): number[] {
  return text.replace(ansi, "").split("\n").map((l) => [...l].length);
}

function manyFindings(): Report {
  const base = report.findings[0] as Finding;
  const severities = ["info", "warning", "critical", "error"] as const;
  const findings = Array.from({ length: 15 }, (_, i) => ({
    ...base,
    id: `a-rather-long-finding-identifier-number-${i}-that-goes-on`,
    severity: severities[i % 4] as Finding["severity"],
    keyValues: { value: "x".repeat(90) },
  }));
  return { ...report, bundle: { ...report.bundle, name: `${"very-long-bundle-name-".repeat(6)}.tar.gz` }, findings, warnings: [{ code: "truncated-archive", message: "cut" }] };
}

describe("terminal summary", () => {
  it("plain: the diagnosis, one line per finding with its key value, where the report went", () => {
    const out = renderTerminalSummary(report, { color: false, writtenTo: "out/report.html" });
    expect(out).not.toMatch(ansi);
    expect(out).toContain("Diagnosis: The metrics API and kubectl logs/exec are down because konnectivity");
    expect(out).toMatch(/^ {2}ERROR {4}konnectivity-agent-unreachable {2}controller=192\.168\.1\.41:8132$/m);
    expect(out).toMatch(/^Findings: 1 error$/m);
    expect(out.trimEnd().split("\n").at(-1)).toBe("Report: out/report.html");
    // Markdown marks do not reach the terminal.
    expect(out).not.toMatch(/\*\*|`/);
  });

  it("colour: severity painted, same words", () => {
    const out = renderTerminalSummary(report, { color: true, writtenTo: "r.md" });
    expect(out).toContain("\x1b[1;31mERROR   \x1b[0m");
    expect(out.replace(ansi, "")).toBe(renderTerminalSummary(report, { color: false, writtenTo: "r.md" }));
  });

  it("fits 80 columns with long names and many findings, most severe first", () => {
    for (const color of [false, true]) {
      const out = renderTerminalSummary(manyFindings(), { color });
      expect(Math.max(...visibleWidths(out))).toBeLessThanOrEqual(80);
      expect(out).toContain("… and 3 more in the report");
      expect(out).toContain("1 warning about the bundle itself");
    }
    const narrow = renderTerminalSummary(report, { color: false, width: 60 });
    expect(Math.max(...visibleWidths(narrow))).toBeLessThanOrEqual(60);
  });

  it("never passes a terminal escape from the bundle through", () => {
    const hostile = { ...report, bundle: { ...report.bundle, name: "evil\x1b]0;pwned\x07.tar.gz" } };
    const out = renderTerminalSummary(hostile, { color: false });
    expect(out).not.toContain("\x1b");
    expect(out).toContain("evil\\x1b]0;pwned\\x07.tar.gz");
  });

  const haveScript = spawnSync("script", ["--version"]).status === 0;
  it.runIf(haveScript)("the CLI prints it on a terminal, coloured, and plain with NO_COLOR", async () => {
    const out = join(await tempDir(), "report.md");
    const cli = join(repoRoot, "dist", "cli", "main.js");
    // `script` gives the CLI a pseudo-terminal, as a person running it would.
    const { NO_COLOR: _unset, ...environment } = process.env;
    const run = (env: Record<string, string>) =>
      spawnSync("script", ["-qec", `${JSON.stringify(process.execPath)} ${JSON.stringify(cli)} ${JSON.stringify(sample)} -o ${JSON.stringify(out)}`, "/dev/null"], { encoding: "utf8", env: { ...environment, ...env } });
    const colored = run({ TERM: "xterm" });
    expect(colored.stdout).toMatch(/\x1b\[1;31mERROR/);
    expect(colored.stdout.replace(ansi, "")).toContain(`Report: ${out}`);
    const plain = run({ NO_COLOR: "1", TERM: "xterm" });
    expect(plain.stdout).toContain("konnectivity-agent-unreachable");
    expect(plain.stdout).not.toMatch(/\x1b\[1;31m/);
  });
});
