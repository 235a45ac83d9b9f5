import { safeValue } from "../fill.js";
import type { Diagnoser } from "../context.js";
import type { Confidence, FindingEvidence } from "../finding.js";
import { captureValues, combineSignals, factEvidence, firedSignals, spanOf } from "./helpers.js";
import { cgnatRange, inIPv4Cidr, interfaceHolding, isVpnInterface, physicalInterface } from "./net.js";

const id = "kubelet-node-ip-vpn-interface";
const symptomPatterns = ["kubelet-api-dial-failed"] as const;

/**
 * The kubelet registered a VPN address (Tailscale's 100.64.0.0/10) as the node's InternalIP,
 * so the API server dials kubelets through the VPN and times out.
 */
export const kubeletNodeIpVpnInterface: Diagnoser = {
  id,
  title: "kubelet advertises a VPN address as the node IP",
  area: "kubelet",
  severity: "error",
  consequences: ["kubelet-runtime-network-not-ready", "kube-router-heartbeat-missed", "kube-router-startup-failed", "cni-plugin-not-initialized", "apiservice-metrics-unavailable", "metrics-server-scrape-failed", "readiness-probe-failed", "liveness-probe-failed"],
  diagnose(ctx) {
    const symptoms = firedSignals(ctx, symptomPatterns);
    const dialedIPs = captureValues(symptoms[0], "ip").map((v) => v.value);
    const hosts = ctx.view.hosts();
    const nodes = ctx.view.collected.facts.kube.nodes;

    // Candidate addresses: kubelets dialed on a VPN-looking address, and nodes registered with one.
    const candidates = new Set<string>(dialedIPs.filter((ip) => inIPv4Cidr(ip, cgnatRange)));
    for (const host of hosts) {
      for (const iface of host.interfaces?.interfaces ?? []) {
        if (!isVpnInterface(iface)) continue;
        for (const a of iface.addresses) {
          if (dialedIPs.includes(a.address) || nodes.some((n) => n.internalIPs.includes(a.address))) candidates.add(a.address);
        }
      }
    }
    for (const n of nodes) for (const ip of n.internalIPs) if (inIPv4Cidr(ip, cgnatRange)) candidates.add(ip);

    for (const vpnIP of [...candidates].sort()) {
      const host = hosts.find((h) => h.interfaces && interfaceHolding(h.interfaces.interfaces, vpnIP));
      const vpnIface = host?.interfaces ? interfaceHolding(host.interfaces.interfaces, vpnIP) : undefined;
      if (vpnIface && !isVpnInterface(vpnIface)) continue; // a 100.64/10 address on a real NIC is not this case
      const node = nodes.find((n) => n.internalIPs.includes(vpnIP));
      const dialed = dialedIPs.includes(vpnIP);
      const proofIpAddr = !!vpnIface;
      const proofNode = !!node;
      if (!dialed && !(proofIpAddr && proofNode)) continue;

      const physical = host?.interfaces ? physicalInterface(host.interfaces.interfaces) : undefined;
      const nodeName = node?.name ?? host?.node ?? "the node";
      const missing: string[] = [];
      if (!proofIpAddr) missing.push("no `ip addr` output from the node: run `ip addr` on it to confirm which interface holds " + vpnIP);
      if (!proofNode) missing.push("no Node objects: run `kubectl get node -o wide` to confirm the node's InternalIP is " + vpnIP);
      const confidence: Confidence = dialed && proofIpAddr && proofNode ? "high" : dialed && (proofIpAddr || proofNode) ? "high" : proofIpAddr && proofNode ? "medium" : "low";

      const evidence: FindingEvidence[] = [];
      const combined = combineSignals(ctx, symptoms);
      evidence.push(...combined.evidence.slice(0, 3));
      if (vpnIface && host?.interfaces) {
        const line = vpnIface.addresses.find((a) => a.address === vpnIP)?.line;
        evidence.push(factEvidence(host.interfaces.source.file, line, `${vpnIface.name}: <${vpnIface.flags.join(",")}> … inet ${vpnIP}`, host.node));
      }
      if (physical && host?.interfaces) {
        const line = physical.iface.addresses.find((a) => a.address === physical.address)?.line;
        evidence.push(factEvidence(host.interfaces.source.file, line, `${physical.iface.name}: inet ${physical.address} (physical interface)`, host.node));
      }
      if (node) evidence.push(factEvidence(node.source.file, undefined, `Node ${node.name}: InternalIP ${node.internalIPs.join(", ")}`, node.name));

      const ifaceName = vpnIface?.name ?? "a VPN interface (tailscale0?)";
      const physIP = physical?.address ?? "<physical IP>";
      const physName = physical?.iface.name ?? "<physical interface>";
      const safeNode = safeValue(nodeName);
      return {
        id,
        title: kubeletNodeIpVpnInterface.title,
        severity: kubeletNodeIpVpnInterface.severity,
        confidence,
        summary: `Node ${safeNode} registered ${vpnIP} (on ${ifaceName}) as its InternalIP, so the API server dials its kubelet through the VPN${dialed ? " and times out" : ""}; the node's physical address is ${physIP} on ${physName}.`,
        cause: [
          `The kubelet was started without \`--node-ip\`, so it chose the node's address itself — and picked ${vpnIP}, which belongs to ${ifaceName}${vpnIface ? "" : " (not confirmed: no `ip addr` in the bundle)"}. Addresses in ${cgnatRange} are carrier-grade NAT space that Tailscale (and similar VPNs) assign.`,
          "",
          `The API server reaches kubelets at the node's InternalIP on port 10250 (\`kubectl logs\`, \`exec\`, probes through konnectivity, metrics). Through the VPN that path ${dialed ? `fails: ${combined.count} lines show \`dial tcp ${vpnIP}:10250\` errors` : "is fragile"}; pods such as kube-router and metallb-controller then fail their readiness checks.`,
        ].join("\n"),
        fix: [
          `Pin the kubelet to the physical interface ${physName} (${physIP}) on ${safeNode}. With k0s, re-install the service with the flag and restart it:`,
          "",
          "```sh",
          "sudo k0s stop",
          `sudo k0s install controller --single --kubelet-extra-args="--node-ip=${physIP}" --force   # use the same role and flags you installed with`,
          "sudo k0s start",
          `kubectl get node ${safeNode} -o wide   # INTERNAL-IP must now be ${physIP}`,
          "```",
          "",
          `With k0sctl, set \`installFlags: ["--kubelet-extra-args=--node-ip=${physIP}"]\` (or \`privateInterface: ${physName}\`) on that host and apply again. Note that \`spec.workerProfiles\` cannot carry \`node-ip\`: it only holds KubeletConfiguration fields.`,
          "",
          "Alternatives:",
          `- give ${physName} the lower route metric so the kubelet's automatic choice (default-route interface) picks it — fragile if the VPN changes routes again;`,
          `- serve the kubelet (port 10250) only on ${physName}, e.g. \`--address=${physIP}\` in the kubelet extra args, so no control-plane traffic goes through ${ifaceName}.`,
        ].join("\n"),
        missingProof: missing,
        evidence,
        ...spanOf(combined),
        nodes: [nodeName].filter((n) => n !== "the node"),
        files: [...new Set([...combined.files, ...evidence.map((e) => e.file)])].sort(),
        references: ["https://github.com/k0sproject/k0s/issues/5189", "https://docs.k0sproject.io/stable/worker-node-config/", "https://kubernetes.io/docs/reference/command-line-tools-reference/kubelet/"],
        patterns: [...symptomPatterns],
        keyValues: { node: nodeName, vpnIP, interface: ifaceName, physicalIP: physIP, physicalInterface: physName },
      };
    }
    return undefined;
  },
};
