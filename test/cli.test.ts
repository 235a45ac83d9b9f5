import { spawnSync } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../src/report/model.js";
import { packSample } from "../src/tools/pack-samples.js";
import { tempDir } from "./support/archives.js";
import { repoRoot, runCli } from "./support/cli.js";

// The one-bundle command as users script it today: it must keep working exactly like this
// now that the CLI also has batch, merge, patterns and explain.
const cli = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));

function runIn(cwd: string, args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

let dir: string;
let bundle: string;

beforeAll(async () => {
  dir = await tempDir("ba-cli-");
  bundle = join(dir, "konnectivity.tar.gz");
  await packSample(join(repoRoot, "test", "fixtures", "konnectivity"), "konnectivity", bundle);
});

describe("bundle-analyze <bundle> (the default command)", () => {
  it("writes the Markdown report to stdout and exits 0; `analyze` is the same command", () => {
    const plain = runCli([bundle]);
    expect(plain.code).toBe(0);
    expect(plain.stderr).toBe("");
    expect(plain.stdout).toMatch(/^# Support bundle analysis: konnectivity\.tar\.gz\n/);
    expect(runCli(["analyze", bundle]).stdout).toBe(plain.stdout);
  });

  it("keeps its exit codes: 1 with a finding at or above --fail-on, 2 for usage errors and unreadable input", () => {
    expect(runCli([bundle, "--fail-on", "error", "-q"]).code).toBe(1);
    expect(runCli([bundle, "--fail-on", "critical", "-q"]).code).toBe(0);
    const missing = runCli([join(dir, "nope.tgz")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^bundle-analyze: cannot open .*nope\.tgz: ENOENT[^\n]*\n$/);
    const none = runCli([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toBe("bundle-analyze: Not enough non-option arguments: got 0, need at least 1 (see --help)\n");
    expect(runCli([bundle, "--bogus"]).stderr).toBe("bundle-analyze: Unknown argument: bogus (see --help)\n");
    expect(runCli([bundle, "--format", "pdf"]).code).toBe(2);
  });

  it("writes -o atomically in the format of the extension", async () => {
    const out = join(dir, "report.json");
    const r = runCli([bundle, "-o", out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    const report = JSON.parse(await readFile(out, "utf8")) as Report;
    expect(report.findings[0]?.id).toBe("konnectivity-agent-unreachable");
  });

  it("--obfuscate replaces the bundle's IPs and host names in the report", () => {
    expect(runCli([bundle]).stdout).toContain("192.168.1.41");
    const hidden = runCli([bundle, "--obfuscate", "-q"]);
    expect(hidden.code).toBe(0);
    expect(hidden.stdout).not.toContain("192.168.1.41");
    expect(hidden.stdout).not.toContain("worker-1");
  });

  it("lists every command in --help", () => {
    const help = runCli(["--help"]).stdout;
    for (const c of ["batch <inputs..>", "merge <dirs..>", "patterns", "explain <id>", "analyze <bundle>"]) expect(help).toContain(`bundle-analyze ${c}`);
  });
});

describe("config file", () => {
  let team: string;

  beforeAll(async () => {
    team = await tempDir("ba-config-");
    const area = join(team, "team-patterns", "k0s");
    await mkdir(area, { recursive: true });
    // Replaces the built-in pattern of the same id, with the team's own title.
    const builtin = await readFile(join(repoRoot, "patterns", "k0s", "konnectivity-agent-cannot-connect.yaml"), "utf8");
    await writeFile(join(area, "konnectivity-agent-cannot-connect.yaml"), builtin.replace(/^title: .*$/m, "title: Team title for konnectivity dial errors"));
    await writeFile(join(team, ".bundle-analyze.yaml"), "patterns: [team-patterns]\nfailOn: error\nformat: json\n");
    await writeFile(join(team, "strict.yaml"), "failOn: critical\n");
    await writeFile(join(team, "typo.yaml"), "fail_on: error\n");
  });

  it("is read from the current folder: its format, failOn and pattern folders apply", () => {
    const r = runIn(team, [bundle]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.warnings).toContainEqual(expect.objectContaining({ code: "pattern-override", message: "user pattern replaces the built-in pattern konnectivity-agent-cannot-connect" }));
  });

  it("loses to flags given on the command line", () => {
    const r = runIn(team, [bundle, "--format", "md", "--fail-on", "critical"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# Support bundle analysis/);
  });

  it("--config names another file; a missing or wrong file is a usage error naming the problem", () => {
    expect(runIn(team, [bundle, "--config", "strict.yaml", "-q"]).code).toBe(0);
    const missing = runIn(team, [bundle, "--config", "absent.yaml"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^bundle-analyze: cannot read config absent\.yaml: ENOENT/);
    const typo = runIn(team, [bundle, "--config", "typo.yaml"]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe('bundle-analyze: config typo.yaml: unknown key "fail_on" (allowed: patterns, failOn, format, jobs, limits)\n');
  });

  it("feeds `patterns list` too: the team's pattern shows as a user pattern", () => {
    const r = runIn(team, ["patterns", "list", "--area", "k0s"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/konnectivity-agent-cannot-connect\s+k0s\s+error\s+user pattern\s+Team title for konnectivity dial errors/);
  });
});
