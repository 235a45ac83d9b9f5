import { setTimeout as sleep } from "node:timers/promises";
import { constants, gunzipSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { inflateGzip } from "../src/ingest/decompress.js";
import { inflateRemote } from "../dist/ingest/gunzip-thread.js";
import { tarEntries } from "../src/ingest/tar-entries.js";
import { makeTar } from "./support/archives.js";

// A damaged bundle must give the same report however fast it is read: every byte that
// arrived before the damage is read, then the damage is reported. These read the same
// damaged streams with a fast and a slow reader and compare what each got.

async function* chunksOf(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

/** Text whose gzip is about 1/3 of it: zlib fills whole 256 KiB output chunks. */
function logText(lines: number, seed: number): string {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) out.push(`I0611 08:16:${String((i * seed) % 60).padStart(2, "0")}.${String((i * 7919 * seed) % 1_000_000).padStart(6, "0")} ${(i * 31) % 997} worker.go:${i % 500}] step ${i} of ${seed} done in ${(i * 13) % 1000}ms`);
  return `${out.join("\n")}\n`;
}

interface Outcome {
  bytes: number;
  entries: string[];
  error?: string;
}

async function readTarGz(archive: Buffer, slow: boolean): Promise<Outcome> {
  const outcome: Outcome = { bytes: 0, entries: [] };
  try {
    for await (const entry of tarEntries(inflateGzip(chunksOf(archive, 64 * 1024)))) {
      outcome.entries.push(entry.header.name);
      try {
        for await (const chunk of entry.body) {
          outcome.bytes += chunk.length;
          // A slow reader lets zlib and tar-stream fill every buffer they have.
          if (slow) await sleep(2);
        }
      } catch (err) {
        outcome.entries.push(`cut: ${(err as Error).message}`);
      }
    }
  } catch (err) {
    outcome.error = (err as Error).message;
  }
  return outcome;
}

describe("reading a damaged bundle", () => {
  it("inflates a truncated gzip stream as far as zlib can, whatever the reader's pace", async () => {
    const gz = gzipSync(Buffer.from(logText(40000, 3)));
    for (const fraction of [0.2, 0.5, 0.9, 0.95, 0.99]) {
      const cut = gz.subarray(0, Math.floor(gz.length * fraction));
      // zlib's one-shot inflation of the same bytes, told to give what it has at the end.
      const decodable = gunzipSync(cut, { finishFlush: constants.Z_SYNC_FLUSH });
      for (const slow of [false, true]) {
        const got: Buffer[] = [];
        await expect(
          (async () => {
            for await (const chunk of inflateGzip(chunksOf(cut, 64 * 1024))) {
              got.push(chunk);
              if (slow) await sleep(3);
            }
          })(),
        ).rejects.toThrow("unexpected end of file");
        expect(Buffer.concat(got).equals(decodable), `cut at ${fraction}, ${slow ? "slow" : "fast"} reader`).toBe(true);
      }
    }
  }, 60_000);

  it("reads the same entries and bytes of a truncated .tar.gz with a fast or a slow reader", async () => {
    const tar = await makeTar([
      { name: "b/a.log", content: logText(4000, 3) },
      { name: "b/small-1.txt", content: "one\n" },
      { name: "b/small-2.txt", content: "two\n" },
      { name: "b/b.log", content: logText(30000, 7) },
      { name: "b/c.log", content: logText(3000, 11) },
    ]);
    const gz = gzipSync(tar);
    for (const fraction of [0.3, 0.55, 0.8]) {
      const cut = gz.subarray(0, Math.floor(gz.length * fraction));
      const fast = await readTarGz(cut, false);
      const slow = await readTarGz(cut, true);
      expect(slow, `cut at ${fraction}`).toEqual(fast);
      expect(fast.error ?? fast.entries.join(" "), `cut at ${fraction}`).toContain("unexpected end of file");
    }
  }, 60_000);

  it("reads a damaged (not truncated) stream the same way with either reader", async () => {
    const gz = gzipSync(await makeTar([{ name: "b/a.log", content: logText(20000, 5) }, { name: "b/b.log", content: logText(20000, 9) }]));
    const damaged = Buffer.from(gz);
    damaged.fill(0xff, Math.floor(gz.length / 2), Math.floor(gz.length / 2) + 32);
    const fast = await readTarGz(damaged, false);
    expect(await readTarGz(damaged, true)).toEqual(fast);
    expect(JSON.stringify(fast)).toMatch(/invalid|incorrect|unexpected/i);
  }, 60_000);

  it("stops with an error naming the way round it, not a damage warning, when the gunzip thread fails", async () => {
    const gz = gzipSync(Buffer.from(logText(1000, 3)));
    for (const script of ["throw new Error('boom')", "process.exit(3)"]) {
      const failing = new URL(`data:text/javascript,${encodeURIComponent(script)}`);
      const reading = (async () => {
        for await (const _chunk of inflateRemote(chunksOf(gz, 64 * 1024), failing)) {
          // drain
        }
      })();
      await expect(reading).rejects.toMatchObject({ code: "E_INTERNAL", message: expect.stringMatching(/gunzip thread (failed|stopped).*BUNDLE_ANALYZE_ONE_THREAD=1/) });
    }
  });
});
