import { describe, expect, it } from "vitest";
import { loadLibrary } from "../src/match/load.js";

// Lines up to the 64 KiB line cap, built against the shapes the shipped regexes use
// (long digit or letter runs after a pod-row prefix, repeated literals, unclosed quotes).
// Before the pod-row rows were anchored, three workload patterns took ~10 s per such line:
// a bundle of them hung the run. The test timeout is the hang detector, not a speed goal.
const hostileLines = [
  `0/1 nodes are available: ${"1".repeat(65_000)} taint`,
  "connection is unauthorized: ".repeat(2_400),
  `"remote-member-id":"${"a".repeat(65_000)}`,
  `oom-kill:constraint=CONSTRAINT_NONE,${"x".repeat(65_000)}`,
  `fatal: [x]: FAILED! => {${'"kubeadm", "init"'.repeat(3_500)}`,
  `v1beta1.${"a.".repeat(30_000)} `,
  "OOMKilled ".repeat(6_500),
  "a ".repeat(32_000),
  "1 ".repeat(32_000),
  '"'.repeat(65_000),
  ": ".repeat(32_000),
  "x".repeat(65_000),
];

describe("shipped patterns on hostile lines", () => {
  it("every pattern finishes every hostile line", { timeout: 30_000 }, async () => {
    const { patterns } = await loadLibrary();
    let tested = 0;
    for (const p of patterns) {
      for (const line of hostileLines) {
        p.regex.test(line);
        tested++;
      }
    }
    expect(tested).toBe(patterns.length * hostileLines.length);
  });
});
