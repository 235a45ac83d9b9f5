/** The report formats; a module of its own so the CLI can list them without loading the renderers. */
export type OutputFormat = "md" | "json" | "html";

export const outputFormats: readonly OutputFormat[] = ["md", "json", "html"];
