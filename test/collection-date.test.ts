import { beforeAll, describe, expect, it } from "vitest";
import { loadLibrary, type PatternLibrary } from "../src/match/load.js";
import { parseLogLine } from "../src/parse/log-line.js";
import { collectionDateFromPath, isCollectionDateFile, parseDateOutput } from "../src/parse/facts/collection-date.js";
import { analyzeBundle } from "../src/pipeline/analyze.js";
import { makeTarGz, writeTemp } from "./support/archives.js";

let library: PatternLibrary;
beforeAll(async () => {
  library = await loadLibrary();
});

describe("the collection date", () => {
  it("is read from sosreport's date output and troubleshoot's folder name", () => {
    expect(parseDateOutput("Fri Feb 11 19:23:39 UTC 2022\n")?.toISOString()).toBe("2022-02-11T19:23:39.000Z");
    expect(parseDateOutput("Mon Jan  2 03:04:05 CET 2023")?.toISOString()).toBe("2023-01-02T03:04:05.000Z");
    expect(parseDateOutput("date: cannot read the clock")).toBeUndefined();
    expect(parseDateOutput("Fri Feb 11 19:23:39 UTC 1970")).toBeUndefined();
    expect(isCollectionDateFile("sosreport-host-2022/sos_commands/date/date")).toBe(true);
    expect(isCollectionDateFile("sosreport-host-2022/sos_commands/date/hwclock")).toBe(false);
    expect(collectionDateFromPath("support-bundle-2025-06-11T08_00_00/host-collectors/run-host/n1/journal.txt")?.toISOString()).toBe("2025-06-11T08:00:00.000Z");
    expect(collectionDateFromPath("my-support-bundle/x.log")).toBeUndefined();
    // sosreport's own root folder names, sos 4 and sos 3.
    expect(collectionDateFromPath("sosreport-worker-4-01234567-2022-02-11-abcdefg/var/log/kern.log")?.toISOString()).toBe("2022-02-11T00:00:00.000Z");
    expect(collectionDateFromPath("sosreport-worker-4.01234567-20220211192339/var/log/kern.log")?.toISOString()).toBe("2022-02-11T19:23:39.000Z");
    expect(collectionDateFromPath("sosreport-juju-110cc2-k8stest-4/var/log/kern.log")).toBeUndefined();
    expect(collectionDateFromPath("sosreport-x-20221311000000/a")).toBeUndefined();
  });

  it("dates year-less log lines of a re-packed sosreport by when it was collected, not when it was packed", async () => {
    // Unpacked and packed again: every entry has today's mtime.
    const repacked = new Date("2026-11-22T09:15:00Z");
    const root = "sosreport-worker-4";
    const bundle = await writeTemp(
      "sosreport-worker-4.tar.gz",
      await makeTarGz([
        { name: `${root}/sos_commands/date/date`, content: "Fri Feb 11 19:23:39 UTC 2022\n", mtime: repacked },
        { name: `${root}/var/log/kern.log`, content: "Dec 30 23:59:58 worker-4 kernel: [1.0] booted\nFeb 11 19:20:01 worker-4 kernel: [812.5] Out of memory: Killed process 4242 (java) total-vm:9000kB, anon-rss:8000kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:100kB oom_score_adj:0\n", mtime: repacked },
      ]),
    );
    const report = await analyzeBundle(bundle, { library });
    const oom = report.findings.find((f) => f.id === "kernel-oom-kill");
    expect(oom?.firstSeen).toBe("2022-02-11T19:20:01.000Z");
    // December before a February collection is the year before.
    expect(report.timeSpan).toEqual({ first: "2021-12-30T23:59:58.000Z", last: "2022-02-11T19:20:01.000Z" });
  });
});

describe("dmesg lines are not journald lines", () => {
  it("takes no host from /var/log/dmesg's kernel: prefix (seen as a node named 'kernel:' in a real sosreport)", () => {
    const ref = { year: 2022, month: 1 };
    expect(parseLogLine("[    0.000000] kernel: x86/fpu: Supporting XSAVE feature 0x001: 'x87 floating point registers'", "plain", ref).host).toBeUndefined();
    expect(parseLogLine("[    1.234567] worker-1 kubelet[812]: E0211 19:20:01.000000     812 kubelet.go:1] boom", "plain", ref)).toMatchObject({ format: "journald-monotonic", host: "worker-1", component: "kubelet" });
  });
});
