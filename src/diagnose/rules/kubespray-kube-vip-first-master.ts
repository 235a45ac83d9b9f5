import { asString, truthy } from "../../parse/facts/access.js";
import type { KubesprayVars } from "../../parse/facts/types.js";
import type { Diagnoser } from "../context.js";
import type { Confidence, FindingEvidence } from "../finding.js";
import { captureValues, combineSignals, factEvidence, firedSignals, spanOf } from "./helpers.js";

const id = "kubespray-kube-vip-first-master";
const initTimeout = "kubespray-kubeadm-init-timeout";
const leaseForbidden = "kube-vip-lease-forbidden";
const conntrackReadonly = "kube-vip-ipvs-conntrack-readonly";
const proofPatterns = [leaseForbidden, conntrackReadonly] as const;

/** Inventory variables that matter here, in the order a reader wants them. */
const relevantVars = [
  "kube_vip_enabled", "kube_vip_controlplane_enabled", "kube_vip_address", "kube_vip_arp_enabled", "kube_vip_services_enabled",
  "kube_vip_lb_fwdmethod", "kube_vip_lb_enable", "metallb_enabled", "metallb_speaker_enabled", "kube_network_plugin", "cilium_kube_proxy_replacement",
  "kube_proxy_remove", "kube_proxy_strict_arp", "kube_version", "kubeadm_init_timeout",
];

/** The variables the explanation quotes; the evidence shows all relevant ones. */
const keyVars = ["kube_vip_enabled", "kube_vip_controlplane_enabled", "kube_vip_address", "kube_vip_lb_fwdmethod", "metallb_enabled", "kube_network_plugin", "cilium_kube_proxy_replacement", "kube_proxy_remove"];

interface VarHit {
  name: string;
  value: string;
  file: string;
  line?: number;
}

function collectVars(all: KubesprayVars[]): Map<string, VarHit> {
  const out = new Map<string, VarHit>();
  for (const v of all) {
    for (const name of relevantVars) {
      if (!(name in v.vars)) continue;
      const value = v.vars[name];
      const text = typeof value === "object" ? JSON.stringify(value) : (asString(value) ?? "");
      out.set(name, { name, value: text, file: v.source.file, ...(v.lines[name] ? { line: v.lines[name] } : {}) });
    }
  }
  return out;
}

/**
 * kubespray with kube-vip enabled from the start: kubeadm init on the first control-plane
 * node times out (rc 124) because kube-vip cannot bring up the VIP during bootstrap.
 */
export const kubesprayKubeVipFirstMaster: Diagnoser = {
  id,
  title: "kube-vip enabled up front breaks kubeadm init on the first control-plane node",
  area: "kubeadm",
  severity: "critical",
  consequences: ["kubeadm-preflight-port-in-use", "kubeadm-wait-control-plane-failed", "kube-vip-leader-lost", "kube-vip-bind-failed", "kubelet-unable-to-register-node", "crashloop-backoff", "kubelet-runtime-network-not-ready", "cni-plugin-not-initialized", "apiserver-connection-refused"],
  diagnose(ctx) {
    const timeout = ctx.signals.get(initTimeout);
    if (!timeout) return undefined;
    const vars = collectVars(ctx.view.collected.facts.kubespray);
    const kubeVip = vars.get("kube_vip_enabled");
    const haveInventory = ctx.view.collected.facts.kubespray.length > 0;
    if (haveInventory && !(kubeVip && truthy(kubeVip.value))) return undefined; // inventory says no kube-vip: not this case
    const proof = firedSignals(ctx, proofPatterns);
    const host = captureValues(timeout, "host")[0]?.value ?? "the first control-plane node";
    const cilium = vars.get("kube_network_plugin")?.value === "cilium";
    const kpr = vars.get("cilium_kube_proxy_replacement");
    const kprOn = !!kpr && /^(true|strict|yes)$/i.test(kpr.value) || truthy(vars.get("kube_proxy_remove")?.value);
    const metallb = truthy(vars.get("metallb_enabled")?.value);
    const vip = vars.get("kube_vip_address")?.value;
    const masquerade = proof.some((p) => p.patternId === conntrackReadonly);
    const forbidden = proof.some((p) => p.patternId === leaseForbidden);

    const missing: string[] = [];
    if (!haveInventory) missing.push("no kubespray inventory (`inventory/<cluster>/group_vars/k8s_cluster/*.yml`, `hosts.yaml`): include it to confirm kube_vip_enabled and the network plugin");
    if (proof.length === 0) missing.push(`no kube-vip container log from ${host}: \`crictl logs $(crictl ps -a --name kube-vip -q | head -1)\` shows why the VIP did not come up`);
    const confidence: Confidence = haveInventory && proof.length > 0 ? "high" : haveInventory ? "medium" : "low";

    const combined = combineSignals(ctx, [timeout, ...proof]);
    const evidence: FindingEvidence[] = [...combined.evidence.slice(0, 4)];
    // One evidence block per inventory file, variables in file order.
    const byFile = new Map<string, VarHit[]>();
    for (const v of vars.values()) byFile.set(v.file, [...(byFile.get(v.file) ?? []), v]);
    for (const [file, hits] of [...byFile].sort(([a], [b]) => a.localeCompare(b))) {
      hits.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
      evidence.push(factEvidence(file, hits[0]?.line, hits.map((h) => `${h.name}: ${h.value}`).join("\n")));
    }
    const quoted = keyVars.map((name) => vars.get(name)).filter((v): v is VarHit => !!v).map((v) => `\`${v.name}: ${v.value}\``).join(", ");
    const addons = [metallb ? "MetalLB" : "", cilium ? `Cilium${kprOn ? " with kube-proxy replacement" : ""}` : ""].filter(Boolean).join(" and ");

    return {
      id,
      title: kubesprayKubeVipFirstMaster.title,
      severity: kubesprayKubeVipFirstMaster.severity,
      confidence,
      summary: `kubeadm init on ${host} timed out (rc 124) with kube-vip enabled from the first run${vip ? ` (VIP ${vip})` : ""}${addons ? ` alongside ${addons}` : ""}: the control-plane VIP never came up during bootstrap.`,
      cause: [
        `The inventory enables kube-vip for the control plane before the cluster exists${quoted ? `: ${quoted}` : ""}. kubespray writes the kube-vip static pod before it runs \`kubeadm init\`, and kubeadm waits for an API server reached through the VIP${vip ? ` ${vip}` : ""}. If kube-vip cannot bring the VIP up, kubespray's \`timeout 300s kubeadm init\` is killed (rc 124). Retries then report ports 6443/10257/10259 in use because the first attempt's static pods still run — a consequence, not the cause.`,
        "",
        masquerade
          ? `Here kube-vip itself crashes: with \`kube_vip_lb_fwdmethod: masquerade\` it must set \`net.ipv4.vs.conntrack\`, but the static pod is not privileged and \`/proc/sys\` is read-only (${combined.count} matching lines), so kube-vip exits on every restart (kubespray issue #11648, fixed by PR #11647).`
          : forbidden
            ? "Here kube-vip is refused its leader lease: on Kubernetes 1.29+ kube-vip runs with `admin.conf`, whose user has no rights until kubeadm finishes, so it cannot take its `plndr-cp-lock` lease and never announces the VIP (kubespray issue #11229, fixed by PR #11422)."
            : "Known causes: on Kubernetes 1.29+ kube-vip runs with `admin.conf`, whose user has no rights until kubeadm finishes, so it cannot take its lease (fixed by kubespray PR #11422); with `kube_vip_lb_fwdmethod: masquerade` an unprivileged kube-vip crashes on `/proc/sys/net/ipv4/vs/conntrack` (fixed by PR #11647). The kube-vip container log tells which.",
        addons ? `\n${addons} add bootstrap-time networking changes on top, which makes a first run with everything enabled harder to debug.` : "",
      ].join("\n").trim(),
      fix: [
        "Deploy in stages: first without kube-vip, then add it.",
        "",
        "```sh",
        "# 1. reset the half-initialised node(s)",
        "ansible-playbook -i inventory/<cluster>/hosts.yaml --become reset.yml",
        "# 2. in group_vars/k8s_cluster/addons.yml set kube_vip_enabled: false" + (metallb ? " and metallb_enabled: false" : "") + ", then:",
        "ansible-playbook -i inventory/<cluster>/hosts.yaml --become cluster.yml",
        "kubectl get nodes; kubectl -n kube-system get pods" + (cilium ? "; cilium status" : ""),
        `# 3. re-enable kube_vip_enabled: true${metallb ? " and metallb_enabled: true" : ""} and run cluster.yml again`,
        "```",
        "",
        masquerade
          ? "Or keep kube-vip in the first run with `kube_vip_lb_fwdmethod: local` (the default), or use a kubespray release with PR #11647 (v2.27.0+), which runs kube-vip privileged in masquerade mode."
          : "Or upgrade kubespray to v2.26.0+ (v2.25.1+ on the 2.25 branch): PR #11422 runs kube-vip with `super-admin.conf` on the first control-plane node during init. If kube-vip uses `kube_vip_lb_fwdmethod: masquerade`, PR #11647 (v2.27.0+) is needed as well.",
        "",
        "Alternatively keep kube-vip out of the init path (`kube_vip_controlplane_enabled: false`, kube-vip for Services only) until the control plane is up.",
      ].join("\n"),
      missingProof: missing,
      evidence,
      ...spanOf(combined),
      nodes: [...new Set([host, ...combined.nodes])].filter((n) => n !== "the first control-plane node").sort(),
      files: [...new Set([...combined.files, ...evidence.map((e) => e.file)])].sort(),
      references: ["https://github.com/kubernetes-sigs/kubespray/issues/11229", "https://github.com/kubernetes-sigs/kubespray/issues/11338", "https://github.com/kubernetes-sigs/kubespray/pull/11422", "https://github.com/kube-vip/kube-vip/issues/684"],
      patterns: [initTimeout, ...proof.map((s) => s.patternId)],
      keyValues: { host, ...(vip ? { vip } : {}), plugin: vars.get("kube_network_plugin")?.value ?? "unknown" },
    };
  },
};
