import { BundleAnalyzeError } from "../../errors.js";
import { loadCatalogue, type Catalogue } from "../catalogue.js";
import { loadConfig } from "../config.js";
import { exitCodes } from "../exit-codes.js";
import { writeStdout } from "../output.js";
import { textTable } from "../text-table.js";

export interface ListArgs {
  area?: string;
  patterns: string[];
  json: boolean;
  long: boolean;
  config?: string;
}

interface ListRow {
  id: string;
  area: string;
  severity: string;
  kind: "pattern" | "user pattern" | "field diagnosis";
  title: string;
  source: string;
}

function rows(catalogue: Catalogue): ListRow[] {
  const all: ListRow[] = [
    ...catalogue.library.patterns.map((p): ListRow => ({ id: p.id, area: p.area, severity: p.severity, kind: p.user ? "user pattern" : "pattern", title: p.title, source: p.source })),
    ...catalogue.fields.map((f): ListRow => ({ id: f.id, area: f.area, severity: f.severity, kind: "field diagnosis", title: f.title, source: f.doc })),
  ];
  return all.sort((a, b) => (a.area < b.area ? -1 : a.area > b.area ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function footer(list: ListRow[], area: string | undefined): string {
  const fields = list.filter((r) => r.kind === "field diagnosis").length;
  const patterns = list.length - fields;
  const areas = new Set(list.filter((r) => r.kind !== "field diagnosis").map((r) => r.area)).size;
  const where = area ? ` in area ${area}` : ` in ${areas} area${areas === 1 ? "" : "s"}`;
  return `${list.length} entr${list.length === 1 ? "y" : "ies"}: ${patterns} pattern${patterns === 1 ? "" : "s"}${where} and ${fields} field diagnos${fields === 1 ? "is" : "es"}.\n`;
}

export async function runList(args: ListArgs): Promise<number> {
  const config = await loadConfig(args.config);
  const catalogue = await loadCatalogue([...config.patterns, ...args.patterns]);
  const all = rows(catalogue);
  const list = args.area ? all.filter((r) => r.area === args.area) : all;
  if (list.length === 0) {
    const areas = [...new Set(all.map((r) => r.area))].sort().join(", ");
    throw new BundleAnalyzeError(`no pattern in area "${args.area ?? ""}" (areas: ${areas})`, "E_USAGE");
  }
  if (args.json) {
    await writeStdout(`${JSON.stringify(list, null, 2)}\n`);
    return exitCodes.ok;
  }
  const table = args.long
    ? textTable(["ID", "AREA", "SEVERITY", "KIND", "TITLE", "SOURCE"], list.map((r) => [r.id, r.area, r.severity, r.kind, r.title, r.source]))
    : textTable(["ID", "AREA", "SEVERITY", "KIND", "TITLE"], list.map((r) => [r.id, r.area, r.severity, r.kind, r.title]));
  await writeStdout(`${table}\n${footer(list, args.area)}`);
  return exitCodes.ok;
}
