import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const findingDocsDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "docs", "findings");

/** Link to docs/findings/<id>.md when the page exists (relative, so it works in a checkout and on GitHub). */
export function findingDocLink(id: string): string | undefined {
  return existsSync(join(findingDocsDir, `${id}.md`)) ? `docs/findings/${id}.md` : undefined;
}
