import { describe, expect, it } from "vitest";
import { loadLibrary } from "../src/match/load.js";
import { analyzeBundle } from "../src/pipeline/analyze.js";
import { renderReport } from "../src/report/render.js";
import { makeTarGz, writeTemp } from "./support/archives.js";

describe("unclassified errors on the timeline", () => {
  it("get a row per node, with each node's own first and last line", async () => {
    const line = (t: string, n: number): string => `E0611 ${t}.000000       1 widget.go:42] "Widget reconcile failed" err="widget ${n} has no owner"`;
    const bundle = await writeTemp(
      "two-nodes.tar.gz",
      await makeTarGz([
        { name: "n1/hostname", content: "node-a\n" },
        { name: "n1/kubelet.log", content: [line("08:00:00", 1), line("08:05:00", 2), line("08:10:00", 3)].join("\n") + "\n", mtime: new Date("2025-06-12T00:00:00Z") },
        { name: "n2/hostname", content: "node-b\n" },
        { name: "n2/kubelet.log", content: [line("09:30:00", 4), line("09:31:00", 5)].join("\n") + "\n", mtime: new Date("2025-06-12T00:00:00Z") },
      ]),
    );
    const report = await analyzeBundle(bundle, { library: await loadLibrary() });
    const cluster = report.unclassified.find((u) => u.template.includes("Widget reconcile failed"));
    expect(cluster?.count).toBe(5);
    expect(cluster?.spans).toEqual([
      { node: "node-a", count: 3, first: "2025-06-11T08:00:00.000Z", last: "2025-06-11T08:10:00.000Z" },
      { node: "node-b", count: 2, first: "2025-06-11T09:30:00.000Z", last: "2025-06-11T09:31:00.000Z" },
    ]);
    const entry = report.timeline.entries.find((e) => e.kind === "unclassified" && e.label.includes("Widget reconcile failed"));
    expect(entry?.spans.map((s) => [s.nodes, s.first, s.last, s.count])).toEqual([
      [["node-a"], "2025-06-11T08:00:00.000Z", "2025-06-11T08:10:00.000Z", 3],
      [["node-b"], "2025-06-11T09:30:00.000Z", "2025-06-11T09:31:00.000Z", 2],
    ]);
    // The Markdown timeline: a bar per node in the chart, a row per node in the table.
    const md = renderReport(report, "md", true);
    expect(md).toContain("    node-a - 3 lines :done");
    expect(md).toContain("    node-b - 2 lines :done");
    expect(md).toContain("|  |  | node-b | 2025-06-11 09:30:00 | 2025-06-11 09:31:00 | 1 min | 2 |");
  });
});
