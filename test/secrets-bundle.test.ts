import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadLibrary } from "../src/match/load.js";
import { analyzeBundle } from "../src/pipeline/analyze.js";
import type { Report } from "../src/report/model.js";
import { prepareReport } from "../src/report/render.js";
import { renderTerminalSummary } from "../src/report/terminal.js";
import { makeTarGz, tempDir, writeTemp } from "./support/archives.js";
import { runCli } from "./support/cli.js";

/**
 * One secret of every kind the issue names. Each value is distinctive so that finding it
 * anywhere in a report means it leaked; each is planted where the report shows bundle text
 * (unclassified error examples, evidence, captured values, file paths).
 */
const jwt = "eyJhbGciOiJSUzI1NiIsImtpZCI6InBsYW50ZWQifQ.eyJpc3MiOiJrdWJlcm5ldGVzL3NlcnZpY2VhY2NvdW50In0.UGxhbnRlZFNpZ25hdHVyZVZhbHVl";
const secrets = {
  jwt,
  bearer: "PlantedBearer0123456789abcdef",
  saTokenBase64: Buffer.from(jwt).toString("base64"),
  bootstrapToken: "q7w8e9.0a1b2c3d4e5f6a7b",
  k0sJoinToken: `H4sIAAAAAAAC${"/2yVT2PlantedJoinToken".repeat(3)}`,
  kubeconfigData: "UGxhbnRlZENsaWVudEtleURhdGFWYWx1ZQ==",
  pemBody: "MIIEpAIBAAKCAQEAplantedPrivateKeyBody",
  password: "Pl4ntedPassw0rd",
  envSecret: "Pl4ntedEnvSecretValue",
  urlPassword: "Pl4ntedUrlPw",
  connectionPassword: "Pl4ntedConnPw",
  awsAccessKey: "AKIAPLANTED0EXAMPLE1",
  awsSecretKey: "wJalrXUtnFEMIplantedK7MDENGbPxRfiCYEXAMPLE",
  gcpKey: "AIzaSyPlanted0123456789abcdefghijklmnop",
  githubToken: "ghp_Planted0123456789abcdefghijklmnopqrst",
  slackToken: "xoxb-123456789012-Planted0SlackToken",
  flagToken: "Pl4ntedFlagToken",
  basicAuth: Buffer.from("admin:Pl4ntedBasicPw").toString("base64"),
  authorizationToken: "Pl4ntedAuthzToken",
  dockerAuth: Buffer.from("robot:Pl4ntedRegistryPw").toString("base64"),
  pathSecret: "Pl4ntedPathSecret",
  capturedSecret: "Pl4ntedCapturedPw",
};

/** klog error lines: each becomes an unclassified example (distinct shapes, so all are listed). */
const logLines = [
  `E0505 16:48:03.000001 1 auth.go:10] "request failed" err="401" header="Authorization: Bearer ${secrets.bearer}" sa=${secrets.jwt}`,
  `E0505 16:48:04.000002 1 secret.go:20] "cannot mount secret" data="token: ${secrets.saTokenBase64}" join="kubeadm join 10.0.0.1:6443 --token ${secrets.bootstrapToken}"`,
  `E0505 16:48:05.000003 1 k0s.go:30] "worker join failed" token=${secrets.k0sJoinToken}`,
  `E0505 16:48:06.000004 1 kubeconfig.go:40] "bad kubeconfig" client-key-data: ${secrets.kubeconfigData}`,
  `E0505 16:48:07.000005 1 tls.go:50] "cannot load key" pem="-----BEGIN RSA PRIVATE KEY-----\\n${secrets.pemBody}\\n-----END RSA PRIVATE KEY-----"`,
  `E0505 16:48:08.000006 1 db.go:60] "database login failed" db_password=${secrets.password} url=postgres://app:${secrets.urlPassword}@db:5432/x conn="Server=db;User ID=app;Password=${secrets.connectionPassword};"`,
  `E0505 16:48:09.000007 1 env.go:70] "environment dump" MY_APP_SECRET=${secrets.envSecret} AWS_ACCESS_KEY_ID=${secrets.awsAccessKey} AWS_SECRET_ACCESS_KEY=${secrets.awsSecretKey}`,
  `E0505 16:48:10.000008 1 cloud.go:80] "cloud call failed" key=${secrets.gcpKey} gh=${secrets.githubToken} slack=${secrets.slackToken}`,
  `E0505 16:48:11.000009 1 cmd.go:90] "command failed" cmd="agent --token ${secrets.flagToken} --verbose"`,
  `E0505 16:48:12.000010 1 http.go:99] "proxy auth failed" req="Authorization: Basic ${secrets.basicAuth}" other="Authorization: Token ${secrets.authorizationToken}"`,
  `E0505 16:48:13.000011 1 registry.go:11] "pull failed" config={"auths":{"registry.example.com":{"auth":"${secrets.dockerAuth}"}}}`,
  `E0505 16:48:14.000012 1 login.go:12] login rejected for password=${secrets.capturedSecret}`,
].join("\n");

async function plantedBundle(): Promise<string> {
  return writeTemp(
    "bundle.tar.gz",
    await makeTarGz([
      { name: "node1/hostname", content: "node1\n" },
      { name: "node1/app.log", content: `${logLines}\n` },
      // A file name is shown as evidence and in warnings: it is bundle text too.
      { name: `node1/env-PASSWORD=${secrets.pathSecret}.log`, content: "E0505 16:48:15.000013 1 x.go:1] \"path secret line\" failed\n" },
    ]),
  );
}

/** A user pattern whose capture is the secret: it reaches the finding summary and key values (the terminal summary). */
async function capturingPatternDir(): Promise<string> {
  const dir = await tempDir();
  await mkdir(join(dir, "custom"));
  await writeFile(
    join(dir, "custom", "login-rejected.yaml"),
    [
      "id: login-rejected",
      "title: login rejected",
      "area: custom",
      "severity: error",
      "keywords: [login rejected]",
      "regex: 'login rejected for (?<credential>\\S+)'",
      "summary: 'login rejected for {{credential}}'",
      "explanation: 'the login {{credential}} was rejected'",
      "fix: 'check {{credential}}'",
      "source: https://example.invalid/login",
      "examples:",
      "  match:",
      "    - line: 'login rejected for x'",
      "  noMatch:",
      "    - 'login accepted'",
      "",
    ].join("\n"),
  );
  return dir;
}

/** Planted secrets found in the text: whole values, and any part of one cut short by truncation or masking. */
function leaks(text: string): string[] {
  const found = Object.entries(secrets)
    .filter(([, value]) => text.includes(value))
    .map(([name]) => name);
  // Every readable planted value contains this word; base64 ones are checked whole above.
  for (const m of text.matchAll(/\S{0,20}pl[a4]nted\S{0,20}/gi)) found.push(`fragment: ${m[0]}`);
  return found;
}

describe("a bundle with planted secrets", () => {
  let bundle: string;
  let patterns: string;
  let out: string;
  beforeAll(async () => {
    bundle = await plantedBundle();
    patterns = await capturingPatternDir();
    out = await tempDir();
  });

  it("shows every planted secret when redaction is off (so the checks below can fail), with the warning", async () => {
    const run = runCli([bundle, "--patterns", patterns, "--no-redact", "-f", "json", "-o", join(out, "raw.json"), "-q"]);
    expect(run.stderr).toBe("");
    const raw = await readFile(join(out, "raw.json"), "utf8");
    expect(Object.keys(secrets).filter((name) => !leaks(raw).includes(name))).toEqual([]);
    const report = JSON.parse(raw) as Report;
    expect(report.redaction.enabled).toBe(false);
    expect(report.warnings.map((w) => w.code)).toContain("redaction-off");

    const md = runCli([bundle, "--patterns", patterns, "--no-redact", "-q"]);
    expect(md.stdout).toMatch(/redaction was turned off/i);
  });

  it.each(["md", "json", "html"])("leaks none of them in the %s report", async (format) => {
    const file = join(out, `report.${format}`);
    const run = runCli([bundle, "--patterns", patterns, "-o", file, "-q"]);
    expect(run.code).toBe(0);
    const text = await readFile(file, "utf8");
    expect(leaks(text)).toEqual([]);
    expect(text).toContain("[REDACTED:");
    expect(text).not.toMatch(/redaction was turned off/i);
  });

  it("leaks none of them on stdout either", () => {
    const run = runCli([bundle, "--patterns", patterns, "-f", "json", "-q"]);
    expect(leaks(run.stdout)).toEqual([]);
    expect(leaks(run.stderr)).toEqual([]);
  });

  it("leaks none of them in the terminal summary, while the unredacted summary would have shown the captured one", async () => {
    const library = await loadLibrary([patterns]);
    const report = await analyzeBundle(bundle, { library });
    const unsafe = renderTerminalSummary(prepareReport(report, false), { color: false, width: 200 });
    expect(unsafe).toContain(secrets.capturedSecret);
    for (const color of [false, true]) {
      const summary = renderTerminalSummary(prepareReport(report, true), { color, width: 200 });
      expect(leaks(summary)).toEqual([]);
      expect(summary).toContain("login-rejected");
    }
    // Diagnosis ran on the original text: the finding exists although its value is redacted.
    expect(report.findings.map((f) => f.id)).toContain("login-rejected");
  });

  it("leaks none of them when obfuscation is added on top", async () => {
    const library = await loadLibrary([patterns]);
    const report = await analyzeBundle(bundle, { library });
    const text = JSON.stringify(prepareReport(report, true, { obfuscate: true }));
    expect(leaks(text)).toEqual([]);
  });
});
