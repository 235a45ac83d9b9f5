/**
 * The API server's version as collectors record it:
 * - troubleshoot `cluster-info/cluster_version.json`: {"info": {"gitVersion": "v1.24.4+k3s1", …}, "string": "v1.24.4+k3s1"}
 * - `kubectl version -o json|yaml`: {"serverVersion": {"gitVersion": …}}
 * - `kubectl version` text (sosreport's kubernetes plugin): `Server Version: version.Info{… GitVersion:"v1.23.3", …}`,
 *   or `Server Version: v1.28.2+k0s` from kubectl 1.28 on.
 * The client version is kubectl's own and says nothing about the cluster: it is ignored.
 */

const versionShape = /^v?\d+\.\d+(?:\.\d+)?(?:[-+][0-9A-Za-z.+-]{1,60})?$/;

/** Only something that looks like a Kubernetes version: a bundle's text is not trusted to be one. */
function cleanVersion(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const v = value.trim();
  if (!versionShape.test(v)) return undefined;
  return v.startsWith("v") ? v : `v${v}`;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** From a parsed JSON/YAML document of either collector. */
export function serverVersionFromDocument(doc: unknown): string | undefined {
  const root = asRecord(doc);
  if (!root) return undefined;
  const server = asRecord(root.serverVersion);
  if (server) return cleanVersion(server.gitVersion);
  const info = asRecord(root.info);
  return cleanVersion(info?.gitVersion) ?? (info ? cleanVersion(root.string) : undefined);
}

/** From `kubectl version` text output; undefined when it has no server line (the cluster was unreachable). */
export function serverVersionFromText(text: string): string | undefined {
  const line = /^Server Version:\s*(.*)$/m.exec(text)?.[1];
  if (!line) return undefined;
  const legacy = /GitVersion:"([^"]+)"/.exec(line);
  return cleanVersion(legacy ? legacy[1] : line.split(/\s/)[0]);
}

/** Cheap test on the first bytes of a file, for the classifier. */
export function looksLikeVersionInfo(name: string, head: string): boolean {
  if (/^Server Version:/m.test(head) && /^Client Version:/m.test(head)) return true;
  if (!/version/i.test(name)) return false;
  return /"serverVersion"|^serverVersion:/m.test(head) || (/"gitVersion"/.test(head) && /"info"\s*:/.test(head));
}
