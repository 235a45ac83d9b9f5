import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { ByteBudget, ReadLimitReached } from "../src/ingest/budget.js";
import { walkBundle, type WalkSummary } from "../src/ingest/walk.js";
import { WarningLog } from "../src/ingest/warnings.js";
import { defaultLimits } from "../src/limits.js";
import type { Report } from "../src/report/model.js";
import { makeTar, makeTarGz, makeZip, writeTemp } from "./support/archives.js";
import { runCli } from "./support/cli.js";

async function walk(path: string): Promise<{ files: Record<string, string>; warnings: WarningLog; summary: WalkSummary }> {
  const warnings = new WarningLog();
  const summary: WalkSummary = { container: "none" };
  const files: Record<string, string> = {};
  try {
    for await (const entry of walkBundle(path, { limits: defaultLimits, warnings, budget: new ByteBudget(defaultLimits) }, summary)) {
      const chunks: Buffer[] = [];
      for await (const c of entry.body) chunks.push(c);
      files[entry.path] = Buffer.concat(chunks).toString("utf8");
    }
  } catch (err) {
    if (!(err instanceof ReadLimitReached)) throw err;
  }
  return { files, warnings, summary };
}

const haveXzTool = spawnSync("xz", ["--version"]).status === 0;
function xz(data: Buffer): Buffer {
  return spawnSync("xz", ["-z", "-c", "-T1"], { input: data, maxBuffer: 1 << 28 }).stdout;
}

// The same failure in every container a customer might send.
const konnectivityLine = 'E0611 08:16:10.213218       1 clientset.go:204] "cannot connect once" err="rpc error: code = Unavailable desc = connection error: desc = \\"transport: Error while dialing: dial tcp 192.168.1.41:8132: connect: no route to host\\""';
const members = [
  { name: "bundle/worker-1/hostname", content: "worker-1\n" },
  { name: "bundle/worker-1/var/log/pods/kube-system_konnectivity-agent-abcde_1234/konnectivity-agent/0.log", content: `2025-06-11T08:16:10.213617621Z stderr F ${konnectivityLine}\n` },
  { name: "bundle/worker-1/sos_commands/kernel/sysctl_-a", content: `net.ipv4.ip_forward = 0\n${Array.from({ length: 60 }, (_, i) => `net.ipv4.conf.veth${i}.forwarding = 0`).join("\n")}\n` },
];

function findingIds(path: string): { ids: string[]; report: Report } {
  const run = runCli([path, "--format", "json"]);
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  const report = JSON.parse(run.stdout) as Report;
  return { ids: report.findings.map((f) => f.id), report };
}

describe("containers", () => {
  it("reads a .zip bundle (members streamed, links skipped)", async () => {
    const zip = makeZip([...members, { name: "bundle/link", content: "/etc/shadow", symlink: true }]);
    const path = await writeTemp("support.zip", zip);
    const { files, warnings, summary } = await walk(path);
    expect(summary.container).toBe("zip");
    expect(files["bundle/worker-1/hostname"]).toBe("worker-1\n");
    expect(warnings.count("skipped-link")).toBe(1);
    const { ids, report } = findingIds(path);
    expect(ids[0]).toBe("konnectivity-agent-unreachable");
    expect(report.findings[0]?.nodes).toContain("worker-1");
  });

  it("reads a zip nested in a tar.gz", async () => {
    const path = await writeTemp("outer.tar.gz", await makeTarGz([{ name: "nodes/worker-1.zip", content: makeZip(members) }]));
    const { files } = await walk(path);
    expect(files["nodes/worker-1.zip/bundle/worker-1/hostname"]).toBe("worker-1\n");
  });

  it("reports a corrupt zip instead of failing", async () => {
    const zip = makeZip(members);
    const path = await writeTemp("bad.zip", zip.subarray(0, zip.length - 30));
    const { warnings } = await walk(path);
    expect(warnings.count("corrupt-archive")).toBe(1);
  });

  it.runIf(haveXzTool)("reads .tar.xz (sosreport's default) and .xz members inside it", async () => {
    const inner = xz(Buffer.from("Jun 11 08:16:06 worker-1 kernel: nf_conntrack: table full, dropping packet\n"));
    const tarXz = xz(await makeTar([...members, { name: "bundle/worker-1/var/log/messages.xz", content: inner }]));
    const path = await writeTemp("sosreport-worker-1.tar.xz", tarXz);
    const { files, summary } = await walk(path);
    expect(summary.container).toBe("xz");
    expect(files["bundle/worker-1/var/log/messages"]).toContain("table full");
    // Both the outer log and the xz member inside the xz archive were read.
    expect(findingIds(path).ids).toEqual(expect.arrayContaining(["konnectivity-agent-unreachable", "nf-conntrack-table-full"]));
  });

  it("gives the same findings for the same failure as a folder of per-node tarballs", async () => {
    const nodeTar = await makeTar(members.map((m) => ({ ...m, name: m.name.replace("bundle/", "") })));
    const path = await writeTemp("cluster.tar.gz", await makeTarGz([{ name: "support/worker-1.tar", content: nodeTar }]));
    const { ids, report } = findingIds(path);
    expect(ids[0]).toBe("konnectivity-agent-unreachable");
    expect(report.findings[0]?.summary).toContain("`net.ipv4.ip_forward` is 0 on worker-1");
  });
});
