import { asObj, asString } from "../../parse/facts/access.js";
import type { Diagnoser } from "../context.js";
import type { Confidence, FindingEvidence } from "../finding.js";
import { combineSignals, factEvidence, firedSignals, spanOf } from "./helpers.js";
import { isIPv4, isIPv6 } from "./net.js";

const id = "nllb-hostnetwork-service-host";
const symptomPatterns = ["cilium-operator-lease-unreachable"] as const;

const isLocal = (host: string): boolean => /^(localhost|127\.0\.0\.1|::1|\[::1\])$/.test(host.trim());

/**
 * k0s node-local load balancing is on, but hostNetwork components (Cilium) are pinned to
 * one controller's address: when that controller goes down they lose the API.
 */
export const nllbHostnetworkServiceHost: Diagnoser = {
  id,
  title: "hostNetwork pods bypass node-local load balancing",
  area: "k0s",
  severity: "error",
  consequences: ["cilium-apiserver-unreachable", "crashloop-backoff", "liveness-probe-failed", "kubelet-api-dial-failed", "apiserver-connection-refused"],
  diagnose(ctx) {
    const facts = ctx.view.collected.facts;
    const config = facts.k0sConfigs.find((c) => c.nllbEnabled);
    if (!config) return undefined;
    const nllbPort = config.nllbPort ?? 7443;

    // hostNetwork pods whose API address is one fixed IP instead of the local load balancer.
    const pinned: { pod: string; container: string; host: string; port?: string; file: string }[] = [];
    for (const pod of facts.kube.pods) {
      if (!pod.hostNetwork) continue;
      for (const c of pod.containers) {
        const host = c.env.KUBERNETES_SERVICE_HOST;
        if (!host || isLocal(host) || !(isIPv4(host) || isIPv6(host))) continue;
        pinned.push({ pod: `${pod.namespace}/${pod.owner ?? pod.name}`, container: c.container, host, ...(c.env.KUBERNETES_SERVICE_PORT ? { port: c.env.KUBERNETES_SERVICE_PORT } : {}), file: pod.source.file });
      }
    }
    // Cilium values: loose values files and charts embedded in k0s.yaml.
    const values: { where: string; host?: string; port?: string }[] = [];
    for (const hv of facts.helmValues) values.push({ where: hv.source.file, ...valuesHost(hv.values) });
    for (const cv of config.chartValues.filter((c) => /cilium/i.test(c.chart))) values.push({ where: `${config.source.file} (chart ${cv.chart})`, ...valuesHost(cv.values) });
    const badValues = values.filter((v) => v.host !== undefined && !isLocal(v.host));
    const goodValues = values.filter((v) => v.host !== undefined && isLocal(v.host));
    if (pinned.length === 0 && badValues.length === 0) return undefined;

    const symptoms = firedSignals(ctx, symptomPatterns);
    const combined = combineSignals(ctx, symptoms);
    pinned.sort((a, b) => Number(b.pod.includes("operator")) - Number(a.pod.includes("operator")) || a.pod.localeCompare(b.pod));
    const controllerIP = pinned[0]?.host ?? badValues[0]?.host ?? "a controller IP";
    const controllerNode = facts.kube.nodes.find((n) => n.internalIPs.includes(controllerIP))?.name;
    const confidence: Confidence = pinned.length > 0 && (badValues.length > 0 || symptoms.length > 0) ? "high" : "medium";
    const missing: string[] = [];
    if (pinned.length === 0) missing.push("no Pod or DaemonSet/Deployment specs: run `kubectl -n kube-system get pods -o yaml` to see which hostNetwork pods carry KUBERNETES_SERVICE_HOST");
    if (values.length === 0) missing.push("no Cilium Helm values: run `helm get values cilium -n kube-system` (or include the chart values from k0s.yaml)");

    const evidence: FindingEvidence[] = [
      factEvidence(config.source.file, undefined, `spec.network.nodeLocalLoadBalancing.enabled: true (type ${config.nllbType ?? "EnvoyProxy"}, apiServerBindPort ${nllbPort})`),
      ...pinned.slice(0, 4).map((p) => factEvidence(p.file, undefined, `${p.pod} (hostNetwork) container ${p.container}: KUBERNETES_SERVICE_HOST=${p.host}${p.port ? ` KUBERNETES_SERVICE_PORT=${p.port}` : ""}`)),
      ...badValues.map((v) => factEvidence(v.where.split(" (")[0] ?? v.where, undefined, `k8sServiceHost: ${v.host}${v.port ? `, k8sServicePort: ${v.port}` : ""}`)),
      ...combined.evidence.slice(0, 2),
    ];
    const components = [...new Set(pinned.map((p) => p.pod))];
    return {
      id,
      title: nllbHostnetworkServiceHost.title,
      severity: nllbHostnetworkServiceHost.severity,
      confidence,
      summary: `Node-local load balancing is on, but ${components.length ? components.join(", ") : "Cilium"} reach${components.length === 1 ? "es" : ""} the API at the single controller ${controllerIP}${controllerNode ? ` (${controllerNode})` : ""}: when it goes down they lose the API; set Cilium \`k8sServiceHost: localhost\`, \`k8sServicePort: ${nllbPort}\`.`,
      cause: [
        `k0s runs a local API proxy on every worker (\`localhost:${nllbPort}\`) and points its own components at it, so they survive the loss of any controller. Components that take the API address from elsewhere do not benefit.`,
        "",
        `${components.length ? `The hostNetwork pods ${components.join(", ")} have \`KUBERNETES_SERVICE_HOST=${controllerIP}\`` : `Cilium's values set \`k8sServiceHost: ${controllerIP}\``}${badValues.length ? `, which comes from Cilium's Helm value \`k8sServiceHost\` (${badValues.map((v) => v.where).join(", ")})` : ""}. All their API traffic goes to that one controller${controllerNode ? ` (${controllerNode})` : ""}; ${symptoms.length ? `the bundle shows them failing to renew their lease when it became unreachable (${combined.count} lines)` : "if it goes down they stop working and the cluster does not heal"}.`,
        goodValues.length ? `\nSome values files already use localhost (${goodValues.map((v) => v.where).join(", ")}); the pinned ones are the problem.` : "",
      ].join("\n").trim(),
      fix: [
        "Point Cilium at the node-local load balancer (the k0s API certificate includes `localhost`):",
        "",
        "```yaml",
        "# Cilium Helm values (k0s.yaml spec.extensions.helm.charts[].values, or your values file)",
        "k8sServiceHost: localhost",
        `k8sServicePort: ${nllbPort}`,
        "```",
        "",
        "```sh",
        "helm upgrade cilium cilium/cilium -n kube-system --reuse-values --set k8sServiceHost=localhost --set k8sServicePort=" + nllbPort,
        "kubectl -n kube-system rollout restart deploy/cilium-operator ds/cilium",
        "kubectl -n kube-system get pods -o json | jq -r '.items[] | select(.spec.hostNetwork) | .metadata.name + \" \" + ([.spec.containers[].env[]? | select(.name==\"KUBERNETES_SERVICE_HOST\") | .value] | join(\",\"))'",
        "```",
        "",
        `Check every other hostNetwork system component (kube-vip, CSI node plugins, monitoring agents) the same way: none should name ${controllerIP}.`,
      ].join("\n"),
      missingProof: missing,
      evidence,
      ...spanOf(combined),
      nodes: [...new Set([...(controllerNode ? [controllerNode] : []), ...combined.nodes])].sort(),
      files: [...new Set([...combined.files, ...evidence.map((e) => e.file)])].sort(),
      references: ["https://github.com/k0sproject/k0s/issues/5740", "https://docs.k0sproject.io/stable/nllb/", "https://docs.cilium.io/en/stable/network/kubernetes/kubeproxy-free/"],
      patterns: [...symptoms.map((s) => s.patternId)],
      keyValues: { controller: controllerIP, nllbPort: String(nllbPort), ...(components[0] ? { component: components[0] } : {}) },
    };
  },
};

function valuesHost(values: Record<string, unknown>): { host?: string; port?: string } {
  const host = asString(values.k8sServiceHost);
  const port = asString(values.k8sServicePort);
  const nested = asObj(values.cilium);
  if (!host && nested) return valuesHost(nested);
  return { ...(host !== undefined ? { host } : {}), ...(port !== undefined ? { port } : {}) };
}
