import type { Argv, CommandModule } from "yargs";
import { severities } from "../../match/pattern.js";
import { outputFormats } from "../../report/formats.js";
import { withLimitOptions } from "../limit-options.js";
import type { AnalyzeArgs } from "./analyze-run.js";

export function analyzeCommand(setExit: (code: number) => void): CommandModule {
  return {
    command: ["$0 <bundle>", "analyze <bundle>"],
    describe: "analyse one bundle (the default command)",
    builder: (y: Argv) =>
      withLimitOptions(
        y
          .positional("bundle", { type: "string", demandOption: true, describe: "support bundle: archive (.tar.gz/.tgz/.tar...) or extracted folder" })
          .option("output", { alias: "o", type: "string", describe: "write the report here (format from the extension) instead of stdout" })
          .option("format", { alias: "f", choices: outputFormats, describe: "report format: md (default), json, html" })
          .option("patterns", { type: "string", array: true, default: [], describe: "extra pattern directory (repeatable); same id replaces a built-in" })
          .option("fail-on", { choices: severities, describe: "exit 1 when a finding at or above this severity exists" })
          .option("redact", { type: "boolean", default: true, describe: "redact secrets in the report (--no-redact turns it off)" })
          .option("obfuscate", { type: "boolean", default: false, describe: "replace IPs and host names with consistent pseudonyms" })
          .option("quiet", { alias: "q", type: "boolean", default: false, describe: "no summary on stderr" }),
      ),
    handler: async (args) => {
      const { runAnalyze } = await import("./analyze-run.js");
      setExit(await runAnalyze(args as unknown as AnalyzeArgs));
    },
  };
}
