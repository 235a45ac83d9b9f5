import { describe, expect, it } from "vitest";
import { loadLibrary } from "../src/match/load.js";
import { analyzeBundle } from "../src/pipeline/analyze.js";
import { makeTarGz, writeTemp } from "./support/archives.js";

describe("a service restart loop in journald", () => {
  it("is a finding that names the unit, the node, how often and since when, and shows on the timeline", async () => {
    const lines: string[] = [];
    for (let i = 0; i < 6; i++) {
      const t = `Sep 10 08:${String(10 + i).padStart(2, "0")}:39`;
      lines.push(`${t} node15 kubelet[${2700 + i}]: E0910 08:${10 + i}:38.100000 ${2700 + i} run.go:72] "command failed" err="failed to load kubelet config file, path: /var/lib/kubelet/config.yaml"`);
      lines.push(`${t} node15 systemd[1]: kubelet.service: Main process exited, code=exited, status=1/FAILURE`);
      lines.push(`${t} node15 systemd[1]: kubelet.service: Scheduled restart job, restart counter is at ${121 + i}.`);
    }
    const bundle = await writeTemp(
      "restarts.tar.gz",
      await makeTarGz([
        { name: "node15/hostname", content: "node15\n" },
        { name: "node15/journal/kubelet.log", content: `${lines.join("\n")}\n`, mtime: new Date("2022-09-12T00:00:00Z") },
      ]),
    );
    const report = await analyzeBundle(bundle, { library: await loadLibrary() });
    const finding = report.findings.find((f) => f.id === "systemd-unit-restart-loop");
    expect(finding?.summary).toBe("systemd restarted kubelet.service 6 times in these logs (restart counter at 121 on the first one), on node15");
    expect(finding?.firstSeen).toBe("2022-09-10T08:10:39.000Z");
    expect(finding?.lastSeen).toBe("2022-09-10T08:15:39.000Z");
    expect(report.timeline.entries.some((e) => e.ref === "systemd-unit-restart-loop")).toBe(true);
  });
});
