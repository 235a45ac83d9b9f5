import { parentPort, workerData } from "node:worker_threads";
import { errorMessage } from "../errors.js";
import { defaultLimits } from "../limits.js";
import { LineMatcher } from "../match/matcher.js";
import { SignalSet } from "../match/signals.js";
import { UnclassifiedClusters } from "../match/unclassified.js";
import { addHost, errorishTriggers, inspect, type LogSinks } from "./collect-log.js";
import type { FromLineWork, LineWorkSetup, ToLineWork } from "./line-work-protocol.js";

/**
 * The second stage of a big bundle's pass: inspects the flagged lines the main thread
 * sends (match, parse, shape), matches Kubernetes events, keeps the hosts each file's
 * lines name, and at the end builds the report. Messages arrive in bundle order, so its
 * state is the one the main thread would have built.
 */
const port = parentPort;
if (!port) throw new Error("the line-work worker must run in a worker thread");
const setup = workerData as LineWorkSetup;
const patterns = setup.patterns;
const matcher = LineMatcher.forLibrary(patterns, errorishTriggers);
const signals = new SignalSet();
const unclassified = new UnclassifiedClusters();
const sinks: LogSinks = { matcher, limits: defaultLimits, warnings: { add: () => undefined }, signals, unclassified };
/** Hosts of flagged lines per file, while the file is read; then the file's final list. */
const reading = new Map<number, string[]>();
const done = new Map<number, string[]>();
const post = (m: FromLineWork): void => port.postMessage(m);

async function handle(m: ToLineWork): Promise<void> {
  switch (m.t) {
    case "lines": {
      const file = m.ctx.file ?? -1;
      let hosts = reading.get(file);
      if (!hosts) {
        hosts = [];
        reading.set(file, hosts);
      }
      for (let i = 0; i < m.texts.length; i++) addHost(hosts, inspect(m.ctx, sinks, m.texts[i] as string, m.numbers[i] as number));
      post({ t: "ack" });
      return;
    }
    case "event":
      for (const hit of matcher.match(m.text)) signals.add(hit, m.evidence);
      return;
    case "file-done": {
      const hosts = reading.get(m.file) ?? [];
      reading.delete(m.file);
      addHost(hosts, m.lastHost);
      done.set(m.file, [...hosts].sort());
      return;
    }
    case "finish": {
      const { input } = m;
      for (const [i, hosts] of done) {
        const f = input.files[i];
        if (f) f.hosts = hosts;
      }
      const collected = { facts: input.facts, signals, unclassified, files: input.files, totalLines: input.totalLines, totalBytes: input.totalBytes };
      // Loaded only now: the diagnosis and report modules need not sit in memory during the pass.
      const { buildReport } = await import("./build-report.js");
      const report = buildReport(input.name, input.container, collected, { patterns, overridden: [] }, { list: () => input.warnings }, input.unclassifiedTop);
      post({ t: "report", report });
      return;
    }
  }
}

port.on("message", (m: ToLineWork) => {
  // Only "finish" awaits; it is the last message, so the order of the others is kept.
  handle(m).catch((err: unknown) => post({ t: "failed", message: errorMessage(err) }));
});
