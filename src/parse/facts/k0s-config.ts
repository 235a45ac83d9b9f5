import { parse as parseYaml } from "yaml";
import { asArray, asObj, asString, path, stringList, truthy, type Obj } from "./access.js";
import type { K0sConfigFacts, SourceRef } from "./types.js";

/** Finds the ClusterConfig in a parsed document: k0s.yaml itself or a k0sctl Cluster (spec.k0s.config). */
export function findClusterConfig(doc: unknown): Obj | undefined {
  const o = asObj(doc);
  if (!o) return undefined;
  if (asString(o.kind) === "ClusterConfig") return o;
  const nested = asObj(path(o, "spec", "k0s", "config"));
  if (nested) return nested;
  // A bare fragment (docs examples, hand-trimmed k0s.yaml): spec with k0s-only network keys.
  const network = asObj(path(o, "spec", "network"));
  if (!o.kind && network && ("dualStack" in network || "nodeLocalLoadBalancing" in network || "kuberouter" in network || "kubeProxy" in network)) return o;
  return undefined;
}

export function readK0sConfig(config: Obj, source: SourceRef): K0sConfigFacts {
  const spec = asObj(config.spec) ?? {};
  const network = asObj(spec.network) ?? {};
  const api = asObj(spec.api) ?? {};
  const dualStack = asObj(network.dualStack) ?? {};
  const nllb = asObj(network.nodeLocalLoadBalancing) ?? {};
  const envoy = asObj(nllb.envoyProxy) ?? {};
  const extraArgs: Record<string, string> = {};
  for (const [k, v] of Object.entries(asObj(api.extraArgs) ?? {})) {
    const s = asString(v);
    if (s !== undefined) extraArgs[k] = s;
  }
  const podCIDRs = [...stringList(network.podCIDR), ...stringList(dualStack.IPv6podCIDR)];
  const serviceCIDRs = [...stringList(network.serviceCIDR), ...stringList(dualStack.IPv6serviceCIDR)];
  const chartValues: K0sConfigFacts["chartValues"] = [];
  for (const chart of asArray(path(spec, "extensions", "helm", "charts"))) {
    const c = asObj(chart);
    if (!c) continue;
    const name = asString(c.name) ?? asString(c.chartname) ?? "chart";
    const raw = c.values;
    let values: Obj | undefined = asObj(raw);
    if (!values && typeof raw === "string") {
      try {
        values = asObj(parseYaml(raw, { maxAliasCount: 100, logLevel: "silent" }));
      } catch {
        values = undefined;
      }
    }
    chartValues.push({ chart: `${name} (${asString(c.chartname) ?? "?"})`, values: values ?? {} });
  }
  const port = Number(asString(envoy.apiServerBindPort));
  return {
    source,
    dualStackEnabled: truthy(dualStack.enabled),
    ...(asString(api.externalAddress) ? { externalAddress: asString(api.externalAddress) } : {}),
    ...(asString(api.address) ? { apiAddress: asString(api.address) } : {}),
    sans: stringList(api.sans),
    podCIDRs,
    serviceCIDRs,
    apiExtraArgs: extraArgs,
    nllbEnabled: truthy(nllb.enabled),
    ...(asString(nllb.type) ? { nllbType: asString(nllb.type) } : {}),
    ...(Number.isFinite(port) && port > 0 ? { nllbPort: port } : {}),
    chartValues,
    ...(asString(network.provider) ? { provider: asString(network.provider) } : {}),
  };
}

export function looksLikeK0sConfig(head: string, path = ""): boolean {
  if (head.includes("k0sproject.io/") && /k0s(ctl)?\.k0sproject\.io\//.test(head) && /kind:\s*(ClusterConfig|Cluster)\b|"kind":\s*"ClusterConfig"/.test(head)) return true;
  return /(^|\/)k0s[^/]*\.ya?ml$/.test(path) && /^spec:/m.test(head) && /^\s+(network|api):/m.test(head);
}
