import { join } from "node:path";
import { BundleAnalyzeError, errorMessage } from "../errors.js";
import { writeFileAtomically } from "./atomic-write.js";
import { renderIndexJson } from "./index-build.js";
import { renderIndexMarkdown } from "./index-markdown.js";
import type { BatchIndex } from "./types.js";

export async function writeIndex(outDir: string, index: BatchIndex): Promise<void> {
  try {
    await writeFileAtomically(join(outDir, "index.json"), renderIndexJson(index));
    await writeFileAtomically(join(outDir, "index.md"), renderIndexMarkdown(index));
  } catch (err) {
    throw new BundleAnalyzeError(`cannot write the index in ${outDir}: ${errorMessage(err)}`, "E_OUTPUT", { cause: err });
  }
}
