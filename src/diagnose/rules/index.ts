import type { Diagnoser } from "../context.js";
import { dualStackServiceCidrOrder } from "./dual-stack-service-cidr-order.js";
import { konnectivityAgentUnreachable } from "./konnectivity-agent-unreachable.js";
import { kubeletNodeIpVpnInterface } from "./kubelet-node-ip-vpn-interface.js";
import { kubesprayKubeVipFirstMaster } from "./kubespray-kube-vip-first-master.js";
import { nllbHostnetworkServiceHost } from "./nllb-hostnetwork-service-host.js";

/** The cross-file diagnoses of the five field cases, in the order they run. */
export const fieldDiagnosers: readonly Diagnoser[] = [
  kubeletNodeIpVpnInterface,
  dualStackServiceCidrOrder,
  konnectivityAgentUnreachable,
  kubesprayKubeVipFirstMaster,
  nllbHostnetworkServiceHost,
];
