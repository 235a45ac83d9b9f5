import { parentPort, workerData } from "node:worker_threads";
import { LineMatcher } from "../match/matcher.js";
import type { HitsMessage, ScanMessage, WorkerSetup } from "./parallel-protocol.js";

/**
 * The log-scanning worker: runs the keyword automaton over the blocks the main thread
 * copied into the shared ring and sends back where the flagged lines end. It never
 * decodes a line and never touches what goes into the report.
 */
const setup = workerData as WorkerSetup;
const matcher = new LineMatcher(setup.patterns, { alsoFlag: setup.alsoFlag });
const ring = Buffer.from(setup.ring);
const found: number[] = [];

parentPort?.on("message", (m: ScanMessage) => {
  found.length = 0;
  matcher.scanLines(ring, m.start, m.end, found);
  const hits = Int32Array.from(found);
  const reply: HitsMessage = { id: m.id, hits };
  parentPort?.postMessage(reply, [hits.buffer]);
});
