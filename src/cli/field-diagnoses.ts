import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { fieldDiagnosers } from "../diagnose/rules/index.js";
import type { Severity } from "../match/pattern.js";

/** docs/findings/ of the package (beside dist/ and src/), where each field diagnosis has a page. */
export const findingDocsDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "docs", "findings");

/** A field diagnosis as the patterns CLI and the catalogue show it. */
export interface FieldDiagnosisInfo {
  id: string;
  title: string;
  area: string;
  severity: Severity;
  /** Pattern ids folded into the diagnosis when it fires. */
  consequences: readonly string[];
  /** Path of the documentation page relative to the package root. */
  doc: string;
}

/**
 * Area and severity of each rule. The rules set them in code when they fire and do not
 * expose them; a test (test/patterns-cli.test.ts) checks these against what the rules
 * report on the field-case bundles so this table cannot drift silently.
 */
const staticInfo: Record<string, { area: string; severity: Severity }> = {
  "kubelet-node-ip-vpn-interface": { area: "kubelet", severity: "error" },
  "dual-stack-service-cidr-order": { area: "k0s", severity: "error" },
  "konnectivity-agent-unreachable": { area: "k0s", severity: "error" },
  "kubespray-kube-vip-first-master": { area: "kubeadm", severity: "critical" },
  "nllb-hostnetwork-service-host": { area: "k0s", severity: "error" },
};

/** The title is the doc page's heading after the id ("# id — title"). */
function titleFromDoc(id: string): string {
  const file = join(findingDocsDir, `${id}.md`);
  if (!existsSync(file)) return id;
  const heading = readFileSync(file, "utf8").split("\n").find((l) => l.startsWith("# "));
  const title = heading?.replace(/^#\s+/, "").split(" — ").slice(1).join(" — ").trim();
  return title || id;
}

export function fieldDiagnoses(): FieldDiagnosisInfo[] {
  return fieldDiagnosers
    .map((d) => {
      const info = staticInfo[d.id] ?? { area: "field", severity: "error" as Severity };
      return { id: d.id, title: titleFromDoc(d.id), area: info.area, severity: info.severity, consequences: d.consequences, doc: `docs/findings/${d.id}.md` };
    })
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The Markdown page of a field diagnosis, or undefined when the package has none. */
export function fieldDiagnosisDoc(id: string): string | undefined {
  const file = join(findingDocsDir, `${id}.md`);
  return existsSync(file) ? readFileSync(file, "utf8") : undefined;
}
