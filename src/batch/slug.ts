import { createHash } from "node:crypto";

/**
 * The folder of a bundle's reports inside --out: its file name made safe, plus a hash of
 * its key so two bundles with the same name in different folders do not collide.
 */
export function reportSlug(key: string): string {
  const name = key.split("/").filter(Boolean).pop() ?? "bundle";
  const safe = name.replace(/[^A-Za-z0-9._-]+/g, "_").replace(/^[.]+/, "").slice(0, 80) || "bundle";
  return `${safe}-${createHash("sha256").update(key).digest("hex").slice(0, 8)}`;
}
