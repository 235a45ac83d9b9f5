import { chmod } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeCompiledLibrary } from "../match/compiled-library.js";
import { builtinPatternDir, loadPatternDir } from "../match/load.js";

/**
 * After tsc: compile the built-in pattern library to dist/patterns.json (validated here,
 * once, instead of at every start) and make the CLI executable (tsc writes it without the
 * exec bit, and `npx bundle-analyze` then fails with "Permission denied").
 */
async function main(): Promise<void> {
  const dist = join(dirname(fileURLToPath(import.meta.url)), "..");
  await writeCompiledLibrary(builtinPatternDir, await loadPatternDir(builtinPatternDir, false));
  await chmod(join(dist, "cli", "main.js"), 0o755);
}

main().catch((err: unknown) => {
  process.stderr.write(`postbuild: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
