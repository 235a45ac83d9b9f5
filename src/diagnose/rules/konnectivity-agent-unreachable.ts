import type { HostFacts } from "../bundle-view.js";
import type { Diagnoser } from "../context.js";
import type { Confidence, FindingEvidence } from "../finding.js";
import { captureValues, combineSignals, factEvidence, firedSignals, spanOf } from "./helpers.js";

const id = "konnectivity-agent-unreachable";
const dialPattern = "konnectivity-agent-cannot-connect";
const metricsPatterns = ["konnectivity-no-agent-available", "apiservice-failed-discovery-check"] as const;

interface SysctlProblem {
  node: string;
  key: string;
  value: string;
  file: string;
  line?: number;
}

/** Wrong or missing forwarding sysctls on one node: what blocks pod traffic to the controller. */
function sysctlProblems(host: HostFacts): SysctlProblem[] {
  const dump = host.sysctl;
  if (!dump) return [];
  const problems: SysctlProblem[] = [];
  const forward = dump.values.get("net.ipv4.ip_forward");
  if (forward && forward.value.trim() === "0") problems.push({ node: host.node, key: "net.ipv4.ip_forward", value: "0", file: dump.source.file, ...(forward.line ? { line: forward.line } : {}) });
  const bridge = dump.values.get("net.bridge.bridge-nf-call-iptables");
  if (bridge && bridge.value.trim() === "0") problems.push({ node: host.node, key: "net.bridge.bridge-nf-call-iptables", value: "0", file: dump.source.file, ...(bridge.line ? { line: bridge.line } : {}) });
  // The key only exists while br_netfilter is loaded; a full dump without it means the module is missing.
  if (!bridge && dump.values.size > 50) problems.push({ node: host.node, key: "net.bridge.bridge-nf-call-iptables", value: "missing (br_netfilter not loaded)", file: dump.source.file });
  return problems;
}

/**
 * konnectivity agents cannot reach konnectivity-server (port 8132): the metrics API and
 * kubectl logs/exec break. Joins the agents' dial errors with sysctl and firewalld state.
 */
export const konnectivityAgentUnreachable: Diagnoser = {
  id,
  title: "konnectivity agents cannot reach the controller on port 8132",
  area: "k0s",
  severity: "error",
  consequences: ["ip-forward-disabled", "br-netfilter-missing", "apiservice-metrics-unavailable", "metrics-server-scrape-failed"],
  diagnose(ctx) {
    const dial = ctx.signals.get(dialPattern);
    const metrics = firedSignals(ctx, metricsPatterns);
    const apiService = ctx.view.collected.facts.kube.apiServices.find((a) => a.name === "v1beta1.metrics.k8s.io" && a.available === false);
    if (!dial) return undefined;

    const target = captureValues(dial, "host")[0]?.value ?? "the controller";
    const port = captureValues(dial, "port")[0]?.value ?? "8132";
    const reason = captureValues(dial, "reason")[0]?.value ?? "connection error";
    const combined = combineSignals(ctx, [dial]);
    const agentNodes = combined.nodes;
    const hosts = ctx.view.hosts();
    // Agents run on workers: look at their nodes first; if unknown, every node except the target.
    const workerHosts = hosts.filter((h) => (agentNodes.length ? agentNodes.includes(h.node) : true));
    const candidates = workerHosts.length ? workerHosts : hosts;
    const problems = candidates.flatMap(sysctlProblems);
    // One entry per node, however many status files mention firewalld there.
    const firewalld = hosts.flatMap((h) => h.services.filter((s) => s.name === "firewalld" && s.active === "active").slice(0, 1).map((s) => ({ node: h.node, state: s })));
    const haveSysctls = candidates.some((h) => !!h.sysctl);
    const haveServices = hosts.some((h) => h.services.length > 0);

    const missing: string[] = [];
    if (!haveSysctls) missing.push("no `sysctl -a` dump from the worker nodes: run `sysctl net.ipv4.ip_forward net.bridge.bridge-nf-call-iptables` on each worker");
    if (!haveServices) missing.push("no service state: run `systemctl status firewalld` on the controller and workers");
    if (!apiService && metrics.length === 0) missing.push("no APIService status: run `kubectl get apiservice v1beta1.metrics.k8s.io -o yaml`");

    const causeKnown = problems.length > 0 || firewalld.length > 0;
    const confidence: Confidence = causeKnown ? "high" : haveSysctls && haveServices ? "low" : "medium";

    const evidence: FindingEvidence[] = [...combined.evidence.slice(0, 2)];
    for (const s of metrics) evidence.push(...combineSignals(ctx, [s]).evidence.slice(0, 1));
    if (apiService) evidence.push(factEvidence(apiService.source.file, undefined, `APIService v1beta1.metrics.k8s.io: Available=False reason=${apiService.reason ?? "?"} ${apiService.message ?? ""}`.trim()));
    for (const p of problems) evidence.push(factEvidence(p.file, p.line, `${p.key} = ${p.value}`, p.node));
    for (const f of firewalld) evidence.push(factEvidence(f.state.source.file, f.state.source.line, "firewalld.service: active", f.node));

    const problemText = problems.map((p) => `\`${p.key}\` is ${p.value} on ${p.node}`);
    const byNode = new Map<string, string[]>();
    for (const p of problems) byNode.set(p.node, [...(byNode.get(p.node) ?? []), p.key]);
    const summaryCause = problems.length
      ? `: ${problemText.join("; ")}`
      : firewalld.length
        ? `: firewalld is active on ${firewalld.map((f) => f.node).join(", ")}`
        : "; IP forwarding and the firewall look correct, so the cause is elsewhere (see below)";
    const where = agentNodes.length ? ` on ${agentNodes.join(", ")}` : "";

    const fix: string[] = [];
    if (byNode.size > 0) {
      for (const [node, keys] of byNode) {
        fix.push(`On **${node}**, enable forwarding now and across reboots:`, "", "```sh");
        if (keys.includes("net.bridge.bridge-nf-call-iptables")) fix.push("sudo modprobe br_netfilter", "echo br_netfilter | sudo tee /etc/modules-load.d/k8s.conf");
        fix.push("sudo sysctl -w net.ipv4.ip_forward=1 net.bridge.bridge-nf-call-iptables=1", "printf 'net.ipv4.ip_forward = 1\\nnet.bridge.bridge-nf-call-iptables = 1\\n' | sudo tee /etc/sysctl.d/99-k0s.conf", "sudo sysctl --system", "```", "");
      }
    }
    if (firewalld.length > 0 || byNode.size === 0) {
      fix.push(
        `firewalld${firewalld.length ? ` is active on ${firewalld.map((f) => f.node).join(", ")}` : " (if it runs)"}: open the k0s ports and allow masquerading. The \`k0s-controller\`/\`k0s-worker\` services are not shipped with firewalld; create them from the k0s networking docs first (controller: TCP 2380, 6443, ${port}, 9443; worker: TCP 179, 10250, UDP 4789).`,
        "",
        "```sh",
        "sudo firewall-offline-cmd --add-service=k0s-controller   # on the controller",
        "sudo firewall-offline-cmd --add-service=k0s-worker       # on every worker",
        "sudo firewall-offline-cmd --add-masquerade",
        "sudo systemctl reload firewalld",
        "sudo firewall-cmd --list-all",
        "```",
        "",
      );
    }
    if (!causeKnown) {
      fix.push(`Forwarding sysctls and the firewall look fine in this bundle. Check that konnectivity-server listens on ${target}:${port} (\`sudo ss -ltnp | grep ${port}\` on the controller), that no other firewall (cloud security group, nftables rules) blocks ${port}, and that the agents' \`--proxy-server-host\` is ${target}.`, "");
    }
    fix.push(
      "Then verify:",
      "",
      "```sh",
      "kubectl -n kube-system logs -l k8s-app=konnectivity-agent --tail=20   # no more dial errors",
      "kubectl get apiservice v1beta1.metrics.k8s.io                         # AVAILABLE True",
      "kubectl top nodes",
      "```",
    );

    return {
      id,
      title: `konnectivity agents cannot reach the controller on port ${port}`,
      severity: konnectivityAgentUnreachable.severity,
      confidence,
      summary: `The metrics API and kubectl logs/exec are down because konnectivity agents${where} cannot reach ${target}:${port} (\`${reason}\`, ${combined.count} lines)${summaryCause}.`,
      cause: [
        `konnectivity-agent runs on the pod network of each worker and dials konnectivity-server on the controller at ${target}:${port}. The API server sends all traffic into the cluster (metrics-server, logs, exec, webhooks) through these agents; with none connected it answers \`No agent available\`${apiService ? ` and the APIService \`v1beta1.metrics.k8s.io\` is unavailable (\`${apiService.reason ?? "FailedDiscoveryCheck"}\`)` : ""}.`,
        "",
        problems.length
          ? `Pod traffic leaving a worker must be forwarded by the host: ${problemText.join("; ")}. With forwarding off the agent's packets never leave the node, while host-level tests (ping, curl from the host) still work.`
          : firewalld.length
            ? `firewalld is active on ${firewalld.map((f) => f.node).join(", ")}. Its default zone rejects traffic it does not know with \`icmp-host-prohibited\`, which a TCP client reports as \`no route to host\` even though ping works; pod traffic also needs masquerading.`
            : "The bundle shows IP forwarding enabled and no active firewalld, so neither is the cause; the controller side (konnectivity-server not listening, another firewall in between) is more likely.",
      ].join("\n"),
      fix: fix.join("\n"),
      missingProof: missing,
      evidence,
      ...spanOf(combined),
      nodes: [...new Set([...agentNodes, ...problems.map((p) => p.node)])].sort(),
      files: [...new Set([...combined.files, ...evidence.map((e) => e.file)])].sort(),
      references: ["https://github.com/k0sproject/k0s/issues/5809", "https://docs.k0sproject.io/stable/networking/#firewalld-k0s", "https://kubernetes.io/docs/setup/production-environment/container-runtimes/#forwarding-ipv4-and-letting-iptables-see-bridged-traffic"],
      patterns: [dialPattern, ...metrics.map((s) => s.patternId)],
      keyValues: { controller: `${target}:${port}`, ...(problems[0] ? { sysctl: `${problems[0].key} on ${problems[0].node}` } : {}), ...(firewalld[0] ? { firewalld: firewalld.map((f) => f.node).join(",") } : {}) },
    };
  },
};
