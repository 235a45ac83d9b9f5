import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../src/report/model.js";
import { makeTarGz, tempDir, writeTemp } from "./support/archives.js";
import { repoRoot, runCli } from "./support/cli.js";

// Debian's chromium, driven by playwright-core: no browser is ever downloaded.
const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const haveChromium = existsSync(chromiumPath);
if (!haveChromium) console.warn(`browser tests SKIPPED: no Chromium at ${chromiumPath} (.ci/run installs Debian's chromium; locally: apt-get install chromium, or set CHROMIUM_PATH)`);

const outputDir = join(repoRoot, "test-output");
const samples = readdirSync(join(repoRoot, "samples")).filter((n) => n.endsWith(".tar.gz")).sort();

interface Visit {
  page: Page;
  consoleErrors: string[];
  requests: string[];
  dialogs: string[];
}

/** Renders a bundle's HTML report with the CLI and opens it, recording errors, requests and dialogs. */
async function openReport(browser: Browser, bundle: string, extraArgs: string[] = []): Promise<Visit & { report: Report }> {
  const dir = await tempDir("ba-browser-");
  const html = join(dir, "report.html");
  const run = runCli([bundle, "-o", html, ...extraArgs]);
  expect(run.code, run.stderr).toBe(0);
  const report = JSON.parse(runCli([bundle, "--format", "json", ...extraArgs]).stdout) as Report;
  const url = pathToFileURL(html).href;
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const visit: Visit = { page, consoleErrors: [], requests: [], dialogs: [] };
  page.on("console", (m) => {
    if (m.type() === "error") visit.consoleErrors.push(m.text());
  });
  page.on("pageerror", (e) => visit.consoleErrors.push(e.message));
  page.on("request", (r) => {
    if (r.url() !== url) visit.requests.push(r.url());
  });
  page.on("dialog", (d) => {
    visit.dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(url, { waitUntil: "load" });
  return { ...visit, report };
}

describe.runIf(haveChromium)("HTML report in headless Chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    const { chromium } = await import("playwright-core");
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    mkdirSync(outputDir, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const name of samples) {
    it(`${name}: findings, timeline and fix blocks visible; no console error, no request`, async () => {
      const { page, consoleErrors, requests, report } = await openReport(browser, join(repoRoot, "samples", name));
      await expect(page.locator("h1").textContent()).resolves.toBe(name);
      expect(await page.locator(".verdict").isVisible()).toBe(true);
      expect(await page.locator("#findings").isVisible()).toBe(true);
      expect(await page.locator(".finding").count()).toBe(report.findings.length);
      if (report.findings.length > 0) {
        expect(await page.locator("#finding-1 .finding-head .badge").textContent()).toBe(report.findings[0]?.severity);
        const fix = page.locator("#finding-1 .fix");
        expect(await fix.isVisible()).toBe(true);
        // The first finding's fix, as the reader would copy it.
        expect((await fix.innerText()).length).toBeGreaterThan(20);
      }
      // Rows inside the timeline's window are drawn; rows dated far away are in the table only.
      const [start, end] = [Date.parse(report.timeline.start ?? ""), Date.parse(report.timeline.end ?? "")];
      const rows = report.timeline.entries.flatMap((e) => e.spans).filter((s) => Date.parse(s.last) >= start && Date.parse(s.first) <= end).length;
      if (rows > 0) {
        expect(await page.locator("svg.timeline").isVisible()).toBe(true);
        expect(await page.locator("svg.timeline .tl-row").count()).toBe(rows);
        const box = await page.locator("svg.timeline").boundingBox();
        expect(box?.width).toBeGreaterThan(600);
      }
      expect(await page.evaluate(() => document.scripts.length)).toBe(0);
      await page.screenshot({ path: join(outputDir, `report-${name.replace(/\.tar\.gz$/, "")}.png`), fullPage: true });
      expect(consoleErrors).toEqual([]);
      expect(requests).toEqual([]);
      await page.close();
    });
  }

  it("the konnectivity sample: the diagnosis, fix commands and timeline rows a reader looks for, in light and dark", async () => {
    const { page } = await openReport(browser, join(repoRoot, "samples", "k0s-konnectivity-firewalld.tar.gz"));
    expect(await page.locator(".verdict").innerText()).toContain("cannot reach 192.168.1.41:8132");
    expect(await page.locator("#finding-1 .fix pre").first().innerText()).toContain("sudo sysctl -w net.ipv4.ip_forward=1");
    const labels = await page.locator("svg.timeline .tl-node").allTextContents();
    expect(labels).toEqual(expect.arrayContaining(["worker-1", "ctrl-0"]));
    // Fix blocks select whole on click: copy-ready without a script.
    expect(await page.locator("#finding-1 .fix pre").first().evaluate((el) => getComputedStyle(el).userSelect)).toBe("all");
    // Evidence starts folded and opens on click.
    const evidence = page.locator("#finding-1 details.evidence");
    expect(await evidence.locator("pre").first().isVisible()).toBe(false);
    await evidence.locator("summary").click();
    expect(await evidence.locator("pre").first().isVisible()).toBe(true);
    await page.emulateMedia({ colorScheme: "dark" });
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe("rgb(13, 17, 23)");
    await page.screenshot({ path: join(outputDir, "report-k0s-konnectivity-firewalld-dark.png"), fullPage: false });
    await page.close();
  });

  it("prints cleanly: no contents sidebar, folded evidence printed, a PDF comes out", async () => {
    const { page } = await openReport(browser, join(repoRoot, "samples", "k0s-konnectivity-firewalld.tar.gz"));
    await page.emulateMedia({ media: "print" });
    expect(await page.locator("nav.toc").isVisible()).toBe(false);
    expect(await page.locator("#finding-1 details.evidence pre").first().isVisible()).toBe(true);
    const pdf = await page.pdf({ format: "A4", printBackground: true });
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    await page.close();
  });

  it("a hostile bundle's report runs nothing and fetches nothing", async () => {
    const payload = '<script>alert(1)</script><img src=x onerror=alert(2)> [c](javascript:alert(3)) ![p](http://127.0.0.1:9/p.png) </pre></details><h1 id="pwned">x</h1>';
    const line = (s: number) => `2025-06-11T08:16:${String(10 + s).padStart(2, "0")}.000000000Z stderr F E0611 08:16:${10 + s}.000000       1 x.go:1] failed: ${payload}`;
    const bundle = await writeTemp(
      "hostile.tar.gz",
      await makeTarGz([
        { name: "b/node-1/hostname", content: '"><script>alert(7)</script>\n' },
        { name: "b/node-1/var/log/pods/ns_pod-abcde_1/c/1.log", content: `${[0, 1, 2].map(line).join("\n")}\n` },
        { name: "b/node-1/<img src=x onerror=alert(6)>.log", content: `${line(5)}\n` },
      ]),
    );
    const { page, consoleErrors, requests, dialogs } = await openReport(browser, bundle);
    expect(await page.evaluate(() => ({ scripts: document.scripts.length, images: document.images.length, pwned: !!document.getElementById("pwned"), js: document.querySelectorAll('a[href^="javascript:" i]').length }))).toEqual({ scripts: 0, images: 0, pwned: false, js: 0 });
    // Shown as text (the unclassified shape masks the digits).
    expect(await page.locator("body").innerText()).toMatch(/<script>alert\(.{1,3}\)<\/script><img src=x onerror=alert/);
    expect(dialogs).toEqual([]);
    expect(requests).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });
});

describe("browser test output", () => {
  it.runIf(haveChromium)("leaves a screenshot per sample under test-output/", () => {
    for (const name of samples) expect(existsSync(join(outputDir, `report-${name.replace(/\.tar\.gz$/, "")}.png`)), name).toBe(true);
    expect(readFileSync(join(outputDir, "report-k0s-konnectivity-firewalld.png")).subarray(1, 4).toString()).toBe("PNG");
  });
});
