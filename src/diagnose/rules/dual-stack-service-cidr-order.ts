import type { Diagnoser } from "../context.js";
import type { Confidence, FindingEvidence } from "../finding.js";
import { captureValues, combineSignals, factEvidence, firedSignals, spanOf } from "./helpers.js";
import { cidrFamily, inIPv4Cidr, isIPv4, isIPv6 } from "./net.js";

const id = "dual-stack-service-cidr-order";
const symptomPatterns = ["kubernetes-service-ip-unreachable"] as const;

/**
 * k0s dual-stack with an IPv6 externalAddress but the IPv4 service CIDR first: the
 * `kubernetes` Service gets an IPv4 ClusterIP whose only endpoint is IPv6.
 */
export const dualStackServiceCidrOrder: Diagnoser = {
  id,
  title: "Dual-stack: IPv6 API address but IPv4-first service CIDR",
  area: "k0s",
  severity: "error",
  consequences: ["coredns-waiting-for-kubernetes", "kube-router-startup-failed", "kube-router-heartbeat-missed", "kubelet-runtime-network-not-ready", "cni-plugin-not-initialized", "cni-sandbox-network-setup-failed", "crashloop-backoff", "readiness-probe-failed", "liveness-probe-failed"],
  diagnose(ctx) {
    const facts = ctx.view.collected.facts;
    const symptoms = firedSignals(ctx, symptomPatterns);
    const svc = facts.kube.services.find((s) => s.name === "kubernetes" && s.namespace === "default");
    const eps = facts.kube.endpoints.find((e) => e.name === "kubernetes" && e.namespace === "default");
    const familyMismatch = !!svc && !!eps && svc.clusterIPs.length > 0 && isIPv4(svc.clusterIPs[0] ?? "") && eps.addresses.length > 0 && eps.addresses.every((a) => isIPv6(a));

    for (const config of facts.k0sConfigs) {
      if (!config.dualStackEnabled) continue;
      const external = config.externalAddress ?? "";
      if (!isIPv6(external)) continue;
      const v4 = config.serviceCIDRs.find((c) => cidrFamily(c) === "inet");
      const v6 = config.serviceCIDRs.find((c) => cidrFamily(c) === "inet6");
      if (!v4 || !v6) continue;
      const override = config.apiExtraArgs["service-cluster-ip-range"];
      if (override && cidrFamily(override.split(",")[0]?.trim() ?? "") === "inet6") continue; // already IPv6-first: the near miss
      const symptomIPs = captureValues(symptoms[0], "ip").map((v) => v.value).filter((ip) => inIPv4Cidr(ip, v4));
      const confidence: Confidence = symptomIPs.length > 0 || familyMismatch ? "high" : "medium";
      const combined = combineSignals(ctx, symptoms.filter(() => symptomIPs.length > 0));
      const evidence: FindingEvidence[] = [
        ...combined.evidence.slice(0, 3),
        factEvidence(config.source.file, undefined, `spec.network.dualStack.enabled: true; spec.api.externalAddress: ${external}; serviceCIDR: ${v4} (IPv4 first); IPv6serviceCIDR: ${v6}${override ? `; spec.api.extraArgs.service-cluster-ip-range: ${override}` : "; no spec.api.extraArgs.service-cluster-ip-range"}`),
      ];
      if (svc) evidence.push(factEvidence(svc.source.file, undefined, `Service default/kubernetes: clusterIPs ${svc.clusterIPs.join(", ")}`));
      if (eps) evidence.push(factEvidence(eps.source.file, undefined, `Endpoints default/kubernetes: ${eps.addresses.join(", ")}${eps.ports.length ? ` port ${eps.ports.join(",")}` : ""}`));
      const missing: string[] = [];
      if (!svc || !eps) missing.push("no `kubernetes` Service/Endpoints dump: run `kubectl get svc,endpoints kubernetes -n default -o yaml` to confirm an IPv4 ClusterIP with IPv6 endpoints");
      if (symptomIPs.length === 0) missing.push(`no \`dial tcp <${v4} address>:443: i/o timeout\` lines in pod logs (CoreDNS, kube-router): include their logs to confirm the symptom`);
      const clusterIP = svc?.clusterIPs[0] ?? symptomIPs[0] ?? "the first IPv4 service address";
      const range = `${v6},${v4}`;
      return {
        id,
        title: dualStackServiceCidrOrder.title,
        severity: dualStackServiceCidrOrder.severity,
        confidence,
        summary: `The kubernetes Service got the IPv4 ClusterIP ${clusterIP} while the API server registers its IPv6 external address ${external} as the endpoint, so pods cannot reach the API (${combined.count} timeout lines); set \`service-cluster-ip-range: '${range}'\`.`,
        cause: [
          `\`${config.source.file}\` enables dual-stack with \`spec.api.externalAddress: ${external}\` (IPv6), but the service CIDRs reach kube-apiserver IPv4 first (\`${v4}\`, then \`${v6}\`)${override ? ` — the override \`${override}\` keeps IPv4 first` : ""}.`,
          "",
          `kube-apiserver allocates the \`kubernetes\` Service from the first range, so its ClusterIP is IPv4 (${clusterIP}); k0s's endpoint reconciler registers the IPv6 external address as its endpoint${familyMismatch ? ` (the bundle shows endpoints ${eps?.addresses.join(", ")})` : ""}. kube-proxy cannot forward an IPv4 virtual IP to an IPv6 backend, so CoreDNS, kube-router and everything else that uses in-cluster config time out on ${clusterIP}:443.`,
          "",
          "k0s fixed the ordering in PR #5855 (v1.33.1+k0s.0, v1.32.5+k0s.1, v1.31.10+k0s.0, v1.30.14+k0s.0).",
        ].join("\n"),
        fix: [
          `Put the IPv6 service range first for kube-apiserver, in \`${config.source.file}\`:`,
          "",
          "```yaml",
          "spec:",
          "  api:",
          "    extraArgs:",
          `      service-cluster-ip-range: '${range}'`,
          "```",
          "",
          "Restart the controllers, then recreate the Service so it is re-allocated from the IPv6 range, and verify:",
          "",
          "```sh",
          "sudo k0s stop && sudo k0s start          # on every controller",
          "kubectl delete svc kubernetes -n default # recreated by the API server",
          "kubectl get svc kubernetes -n default -o yaml   # clusterIPs: IPv6 first",
          "kubectl get endpoints kubernetes -n default",
          "```",
          "",
          "Alternatives: upgrade k0s to a release with the fix (v1.33.1+k0s.0, v1.32.5+k0s.1, v1.31.10+k0s.0, v1.30.14+k0s.0 or later); from v1.34 set `spec.network.primaryAddressFamily: IPv6`; or use an IPv4 `externalAddress`.",
        ].join("\n"),
        missingProof: missing,
        evidence,
        ...spanOf(combined),
        nodes: combined.nodes,
        files: [...new Set([...combined.files, ...evidence.map((e) => e.file)])].sort(),
        references: ["https://github.com/k0sproject/k0s/issues/5841", "https://github.com/k0sproject/k0s/pull/5855", "https://docs.k0sproject.io/stable/dual-stack/", "https://github.com/kubernetes/kubernetes/issues/89610"],
        patterns: symptomIPs.length > 0 ? [...symptomPatterns] : [],
        keyValues: { externalAddress: external, serviceClusterIpRange: range, clusterIP },
      };
    }
    return undefined;
  },
};
