import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, symlink, writeFile } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { Marked } from "marked";
import { describe, expect, it } from "vitest";
import type { Report } from "../src/report/model.js";
import { makeTar, makeTarGz, makeZip, tempDir, writeTemp, type TarItem } from "./support/archives.js";
import { repoRoot, runCli } from "./support/cli.js";
import { gzipBomb, hasStackTrace, listTree, runCliMeasured } from "./support/hostile.js";

/**
 * Malicious input (issue 5, part 2): nothing written or read outside the bundle and the
 * output path, memory bounded well under 1 GiB, limits that end in a warning, no terminal
 * escape reaching a terminal or the Markdown, nothing executable in the HTML.
 */
const errorLine = (text: string): string => `E0505 16:48:03.000001 1 x.go:1] ${text}`;
const json = (stdout: string): Report => JSON.parse(stdout) as Report;
const codes = (r: Report): string[] => r.warnings.map((w) => w.code);
/** Well under the 1 GiB the issue allows; a bomb that were held in memory would blow past it. */
const memoryCeilingMiB = 512;

describe("path traversal, absolute paths and links never write or read outside", () => {
  it("a run with -o writes exactly the report, whatever the entry names say", async () => {
    const work = await tempDir();
    const outside = await tempDir("ba-outside-");
    const out = join(work, "out");
    await mkdir(out);
    const names = [
      `../../../../../../../../${outside.slice(1)}/traversal.log`,
      `${outside}/absolute.log`,
      "../escape-from-cwd.log",
      "..\\..\\windows-style.log",
      "C:/drive-letter.log",
      "./a/../../b.log",
    ];
    const items: TarItem[] = [
      ...names.map((name) => ({ name, content: `${errorLine("planted by a hostile archive")}\n` })),
      // The classic link-then-write attack: a link to outside, then a file "through" it.
      { name: "through", type: "symlink", linkname: outside },
      { name: "through/link-write.log", content: "x\n" },
      { name: "hard", type: "link", linkname: `${outside}/absolute.log` },
    ];
    const bundle = join(work, "hostile.tar.gz");
    await writeFile(bundle, await makeTarGz(items));
    const before = await listTree(work);
    const outsideBefore = await listTree(outside);

    const run = runCli([bundle, "-o", join(out, "report.md"), "-q"]);
    expect(run.code).toBe(0);
    expect(hasStackTrace(run.stderr)).toBe(false);
    expect(await listTree(work)).toEqual([...before, "out/report.md"].sort());
    expect(await listTree(outside)).toEqual(outsideBefore);
    // Where a naive extractor would have written, relative to the working folder or the output.
    for (const name of names) {
      for (const base of [repoRoot, out]) expect(existsSync(resolve(base, name.replace(/\\/g, "/"))), name).toBe(false);
    }
    const report = await readFile(join(out, "report.md"), "utf8");
    expect(report).toMatch(/unsafe-path/);
    expect(report).toMatch(/skipped-link/);
  });

  it("links inside an archive are skipped, never followed: no content of their targets is read", async () => {
    const path = await writeTemp("links.tar", await makeTar([
      { name: "passwd", type: "symlink", linkname: "/etc/passwd" },
      { name: "hostname", type: "link", linkname: "/etc/hostname" },
      { name: "up", type: "symlink", linkname: "../../../../" },
      { name: "ok.log", content: `${errorLine("fine")}\n` },
    ]));
    const run = runCli([path, "-f", "json", "-q"]);
    expect(run.code).toBe(0);
    const report = json(run.stdout);
    expect(codes(report).filter((c) => c === "skipped-link")).toHaveLength(3);
    expect(report.stats.files).toBe(1);
    expect(run.stdout).not.toMatch(/root:x?:0:0/);
  });

  it("a bundle folder with links to outside files and folders, a link loop and a FIFO: none followed or opened", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "ok.log"), `${errorLine("fine")}\n`);
    await symlink("/etc/passwd", join(dir, "passwd"));
    await symlink("/", join(dir, "root"));
    await symlink(dir, join(dir, "loop"));
    let fifo = true;
    try {
      // Opening a FIFO for reading blocks until a writer comes: following it would hang the run.
      execFileSync("mkfifo", [join(dir, "pipe")]);
    } catch {
      fifo = false;
    }
    const run = runCli([dir, "-f", "json", "-q"]);
    expect(run.code).toBe(0);
    const report = json(run.stdout);
    expect(report.stats.files).toBe(1);
    expect(codes(report).filter((c) => c === "skipped-link")).toHaveLength(3);
    if (fifo) expect(codes(report)).toContain("skipped-special");
    expect(run.stdout).not.toMatch(/root:x?:0:0/);
  });

  it("device and FIFO entries in an archive are skipped with a warning", async () => {
    const path = await writeTemp("devices.tar", await makeTar([
      { name: "dev/sda", type: "block-device" as TarItem["type"] },
      { name: "dev/tty", type: "character-device" },
      { name: "run/pipe", type: "fifo" },
      { name: "ok.log", content: `${errorLine("fine")}\n` },
    ]));
    const run = runCli([path, "-f", "json", "-q"]);
    expect(run.code).toBe(0);
    const report = json(run.stdout);
    expect(codes(report).filter((c) => c === "skipped-special")).toHaveLength(3);
    expect(report.stats.files).toBe(1);
  });

  // yauzl's own name validation used to end the whole zip on "../x"; names are now decoded
  // by us and neutralised like tar entry names.
  it("a zip with traversal names and a symlink member reads them as bundle content only", async () => {
    const work = await tempDir();
    const bundle = join(work, "hostile.zip");
    await writeFile(bundle, makeZip([
      { name: "../../zip-escape.log", content: `${errorLine("zip")}\n` },
      { name: "/abs-zip.log", content: "x\n" },
      { name: "link", content: "/etc/passwd", symlink: true },
    ]));
    const before = await listTree(work);
    const run = runCli([bundle, "-o", join(work, "r.json"), "-q"]);
    expect(run.code).toBe(0);
    expect(await listTree(work)).toEqual([...before, "r.json"].sort());
    const report = json(await readFile(join(work, "r.json"), "utf8"));
    expect(codes(report)).toContain("unsafe-path");
    expect(codes(report)).toContain("skipped-link");
    expect(existsSync(resolve(repoRoot, "../../zip-escape.log"))).toBe(false);
  });
});

describe("decompression bombs: memory stays bounded", () => {
  // A few MiB on disk, 2 GiB inflated: stopped by the compression-ratio limit with a warning.
  it.each([
    ["without newlines (one 2 GiB line)", false],
    ["with newlines (20 million lines)", true],
  ])("a gzip bomb %s, at the root and inside a tar", async (_name, newlines) => {
    const bomb = gzipBomb(64 * 1024 * 1024, 32, newlines);
    expect(bomb.length).toBeLessThan(16 * 1024 * 1024);
    for (const [name, content] of [["bomb.log.gz", bomb], ["bundle.tar", await makeTar([{ name: "node1/kubelet.log.gz", content: bomb }, { name: "node1/ok.log", content: `${errorLine("fine")}\n` }])]] as const) {
      const path = await writeTemp(name, content);
      const run = runCliMeasured([path, "-f", "json", "-q"]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.peakRssMiB).toBeLessThan(memoryCeilingMiB);
      const report = json(run.stdout);
      expect(codes(report)).toContain("decompression-bomb");
      expect(report.warnings.find((w) => w.code === "decompression-bomb")?.message).toMatch(/--max-compression-ratio/);
    }
  });

  it("with the ratio limit lifted, a 1 GiB line is streamed: only its start is kept", async () => {
    const path = await writeTemp("line-bomb.log.gz", gzipBomb(64 * 1024 * 1024, 16, false));
    const run = runCliMeasured([path, "-f", "json", "-q", "--max-compression-ratio", "100000000"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.peakRssMiB).toBeLessThan(memoryCeilingMiB);
    expect(json(run.stdout).warnings.find((w) => w.code === "limit-line-length")?.message).toMatch(/--max-line-bytes/);
  });

  it("the total-bytes limit ends reading with a warning naming the flag", async () => {
    const path = await writeTemp("bytes-bomb.log.gz", gzipBomb(64 * 1024 * 1024, 4, true));
    const run = runCliMeasured([path, "-f", "json", "-q", "--max-compression-ratio", "100000000", "--max-total-bytes", String(32 * 1024 * 1024)]);
    expect(run.code, run.stderr).toBe(0);
    expect(json(run.stdout).warnings.find((w) => w.code === "limit-total-bytes")?.message).toMatch(/--max-total-bytes/);
  });

  it("with the ratio limit lifted, 256 MiB of short lines are streamed in bounded memory", async () => {
    const path = await writeTemp("lines-bomb.log.gz", gzipBomb(64 * 1024 * 1024, 4, true));
    const run = runCliMeasured([path, "-f", "json", "-q", "--max-compression-ratio", "100000000"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.peakRssMiB).toBeLessThan(memoryCeilingMiB);
    expect(json(run.stdout).stats.lines).toBeGreaterThan(2_000_000);
  });
});

describe("nesting and entry counts", () => {
  it("archives nested deeper than --max-depth are not opened, with a warning naming the flag", async () => {
    let archive = await makeTar([{ name: "deep.log", content: `${errorLine("deep")}\n` }]);
    for (let i = 0; i < 12; i++) archive = i % 2 ? await makeTarGz([{ name: `level${i}.tar.gz`, content: archive }]) : await makeTar([{ name: `level${i}.tar`, content: archive }]);
    const path = await writeTemp("nested.tar", archive);
    const run = runCliMeasured([path, "-f", "json", "-q"]);
    expect(run.code === 0 || run.code === 2).toBe(true);
    expect(run.stderr + run.stdout).toMatch(/--max-depth/);
    expect(hasStackTrace(run.stderr)).toBe(false);
  });

  it("zips nested in zips stop at the depth limit too", async () => {
    let zip = makeZip([{ name: "deep.log", content: `${errorLine("deep")}\n` }]);
    for (let i = 0; i < 8; i++) zip = makeZip([{ name: `level${i}.zip`, content: zip }, { name: `ok${i}.log`, content: `${errorLine(`level ${i}`)}\n` }]);
    const path = await writeTemp("nested.zip", zip);
    const run = runCli([path, "-f", "json", "-q"]);
    expect(run.code).toBe(0);
    expect(codes(json(run.stdout))).toContain("limit-nesting");
  });

  it("a file compressed 300 times over is unwrapped in bounded memory", async () => {
    let layered = Buffer.from(`${errorLine("under many layers")}\n`);
    for (let i = 0; i < 300; i++) layered = gzipSync(layered);
    const path = await writeTemp("layers.log.gz", layered);
    const run = runCliMeasured([path, "-f", "json", "-q"]);
    expect(hasStackTrace(run.stderr)).toBe(false);
    expect(run.peakRssMiB).toBeLessThan(memoryCeilingMiB);
    expect([0, 2]).toContain(run.code);
  });

  it("more entries than --max-entries: reading stops with a warning, the report is written", async () => {
    const items: TarItem[] = Array.from({ length: 3000 }, (_, i) => ({ name: `many/f${i}.log`, content: `${errorLine(`entry ${i}`)}\n` }));
    const path = await writeTemp("many.tar.gz", await makeTarGz(items));
    const run = runCli([path, "-f", "json", "-q", "--max-entries", "1000"]);
    expect(run.code).toBe(0);
    const report = json(run.stdout);
    expect(codes(report)).toContain("limit-entries");
    expect(report.stats.files).toBeLessThanOrEqual(1000);
  });

  it("50 000 tiny entries under the default limits stay in bounded memory", async () => {
    const items: TarItem[] = Array.from({ length: 50_000 }, (_, i) => ({ name: `n/${i % 100}/f${i}.log`, content: "x\n" }));
    const path = await writeTemp("tiny.tar.gz", await makeTarGz(items));
    const run = runCliMeasured([path, "-f", "json", "-q"]);
    expect(run.code).toBe(0);
    expect(run.peakRssMiB).toBeLessThan(memoryCeilingMiB);
    expect(json(run.stdout).stats.files).toBe(50_000);
  });

  it("a line longer than --max-line-bytes is cut, with a warning naming the flag", async () => {
    const path = await writeTemp("long.log", `${errorLine("x".repeat(200_000))}\n${errorLine("next")}\n`);
    const run = runCli([path, "-f", "json", "-q", "--max-line-bytes", "4096"]);
    expect(run.code).toBe(0);
    expect(json(run.stdout).warnings.find((w) => w.code === "limit-line-length")?.message).toMatch(/--max-line-bytes/);
  });
});

// No NUL: a file with one is classified binary and its text never reaches the report.
const escapes = "\x1b]0;owned\x07\x1b[2J\x1b[31mred\x1b[0m\x9b31m\x1bP+q\x1b\\\r\b";
/** Raw control characters that a terminal or a Markdown viewer would act on. */
// eslint-disable-next-line no-control-regex
const liveControl = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f]/;
const markup = [
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(2)>",
  "[click](javascript:alert(3))",
  "![pic](javascript:alert(4))",
  '<a href="javascript:alert(5)">x</a>',
  "<svg onload=alert(6)>",
  "<iframe src=//evil.example></iframe>",
  "<javascript:alert(7)>",
  "<style>body{display:none}</style>",
  '<meta http-equiv="refresh" content="0;url=//evil.example">',
].join(" ");

async function hostileTextBundle(): Promise<string> {
  return writeTemp("text.tar.gz", await makeTarGz([
    { name: `n1/evil${escapes}<b>name</b>${"<script>alert(8)</script>"}.log`, content: `${errorLine(`failed ${escapes} ${markup}`)}\n` },
    { name: "n1/konnectivity.log", content: `E0505 16:48:04.000001 1 clientset.go:204] "cannot connect once" err="dial tcp 10.0.0.1:8132: connect: no route to host ${escapes} ${markup}"\n` },
  ]));
}

/** Every tag of an HTML page with its attributes (text content is ignored: it is escaped). */
function tags(html: string): { name: string; attributes: [string, string][] }[] {
  const out: { name: string; attributes: [string, string][] }[] = [];
  for (const m of html.matchAll(/<([a-zA-Z][\w:-]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*\/?>/g)) {
    const attributes: [string, string][] = [...(m[2] ?? "").matchAll(/([^\s=>/]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?/g)].map((a) => [(a[1] ?? "").toLowerCase(), (a[2] ?? "").replace(/^["']|["']$/g, "")]);
    out.push({ name: (m[1] ?? "").toLowerCase(), attributes });
  }
  return out;
}

describe("escape sequences and markup from the bundle", () => {
  it("no terminal control character reaches the Markdown or the JSON's rendering", async () => {
    const path = await hostileTextBundle();
    const md = runCli([path, "-q"]);
    expect(md.code).toBe(0);
    expect(md.stdout).toContain("\\x1b");
    expect(md.stdout).not.toMatch(liveControl);
    const html = runCli([path, "-f", "html", "-q"]);
    expect(html.stdout).not.toMatch(liveControl);
  });

  it("the Markdown is safe even in a viewer that renders raw HTML: bundle text is code or escaped", async () => {
    const run = runCli([await hostileTextBundle(), "-q"]);
    expect(run.code).toBe(0);
    // marked with no sanitising at all: what a permissive Markdown viewer would produce.
    const rendered = new Marked({ gfm: true, async: false }).parse(run.stdout) as string;
    expect(rendered).toContain("&lt;script&gt;");
    const found = tags(rendered);
    for (const banned of ["script", "iframe", "object", "embed", "img", "form", "base", "link", "style", "meta", "svg"]) expect(found.filter((t) => t.name === banned), banned).toEqual([]);
    for (const tag of found) {
      for (const [name, value] of tag.attributes) {
        expect(name.startsWith("on"), `${tag.name} ${name}`).toBe(false);
        if (name === "href" || name === "src") expect(value, `${tag.name} ${name}`).not.toMatch(/^\s*(javascript|vbscript|data):/i);
      }
    }
  });

  it("the HTML report holds no live script, event handler, frame or javascript: link from the bundle", async () => {
    const path = await hostileTextBundle();
    const run = runCli([path, "-f", "html", "-q"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("&lt;script&gt;");
    const found = tags(run.stdout);
    expect(found.map((t) => t.name)).not.toEqual(expect.arrayContaining(["script"]));
    for (const banned of ["script", "iframe", "object", "embed", "img", "form", "base", "link"]) expect(found.filter((t) => t.name === banned), banned).toEqual([]);
    for (const tag of found) {
      for (const [name, value] of tag.attributes) {
        expect(name.startsWith("on"), `${tag.name} ${name}`).toBe(false);
        if (["href", "src", "xlink:href", "action", "formaction"].includes(name)) expect(value, `${tag.name} ${name}`).not.toMatch(/^\s*(javascript|vbscript|data):/i);
      }
    }
    const metas = found.filter((t) => t.name === "meta").map((t) => Object.fromEntries(t.attributes));
    expect(metas.some((m) => m["http-equiv"] === "refresh")).toBe(false);
    // The page forbids scripts even if something slipped through.
    expect(run.stdout).toMatch(/Content-Security-Policy" content="default-src 'none'/);
  });

  it("the terminal summary on a real terminal shows the escapes as text", async () => {
    const script = spawnSync("script", ["--version"], { encoding: "utf8" });
    if (script.status !== 0) return; // no pty helper here: the in-process summary test covers the renderer
    const path = await hostileTextBundle();
    const out = join(await tempDir(), "r.md");
    const cli = join(repoRoot, "dist", "cli", "main.js");
    const run = spawnSync("script", ["-qec", `${JSON.stringify(process.execPath)} ${JSON.stringify(cli)} ${JSON.stringify(path)} -o ${JSON.stringify(out)}`, "/dev/null"], {
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1", TERM: "xterm" },
    });
    expect(run.stdout).toContain("bundle-analyze");
    expect(run.stdout).toContain(basename(out));
    expect(run.stdout.replace(/\r\n/g, "\n")).not.toMatch(liveControl);
  });

  // Error messages name user-given paths; the CLI escapes control characters in them.
  it("an error message naming a hostile file name carries no live escape sequence", async () => {
    const dir = await tempDir();
    const evil = join(dir, `upload\x1b]0;owned\x07\x1b[2J.tar.gz`);
    for (const [path, content] of [[evil, ""], [`${evil}.missing`, undefined]] as const) {
      if (content !== undefined) await writeFile(path, content);
      const run = runCli([path]);
      expect(run.code).toBe(2);
      expect(run.stderr).not.toMatch(liveControl);
    }
  });
});

describe("hostile lines against the tool's own expressions", () => {
  // Each line is shown in the report (an unclassified error), so redaction runs over all of
  // it. The key=value rule used to take 6 s on 4 KB of "pwd.pwd..." and grows cubically:
  // the test timeout is the hang detector.
  it("a 60 KB line built against the redaction rules is redacted in bounded time", async () => {
    const hostile = ["pwd.".repeat(15_000), "a=".repeat(30_000), `http://a:${"b:".repeat(30_000)}`, "a://".repeat(15_000), "x-data".repeat(10_000)];
    const path = await writeTemp("redos.log", hostile.map((h, i) => errorLine(`failed shape${i} ${h}`)).join("\n"));
    const run = runCliMeasured([path, "-f", "json", "-q"], 50_000);
    expect(run.code, run.stderr).toBe(0);
    expect(json(run.stdout).unclassified.length).toBeGreaterThanOrEqual(1);
  });
});

describe("user-controlled output path", () => {
  it("refuses to follow through a missing folder and leaves no temp file behind", async () => {
    const work = await tempDir();
    const bundle = join(work, "b.log");
    await writeFile(bundle, `${errorLine("x")}\n`);
    const before = await listTree(work);
    const run = runCli([bundle, "-o", join(work, "missing", "r.md")]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(await listTree(work)).toEqual(before);
  });
});
