import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fieldDiagnosers } from "../src/diagnose/rules/index.js";
import { repoRoot } from "./support/cli.js";

// Every field diagnosis has a page a support engineer can read before trusting it.
describe("finding documentation", () => {
  it.each(fieldDiagnosers.map((d) => [d.id]))("docs/findings/%s.md has the required sections and real references", (id) => {
    const path = join(repoRoot, "docs", "findings", `${id}.md`);
    expect(existsSync(path)).toBe(true);
    const text = readFileSync(path, "utf8");
    expect(text.startsWith(`# ${id}`)).toBe(true);
    const sections = [...text.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    for (const s of ["Symptoms", "Cause", "Fix", "Not this if"]) expect(sections).toContain(s);
    expect(text).toMatch(/https:\/\/github\.com\/[\w.-]+\/[\w.-]+\/(issues|pull)\/\d+/);
  });
});
