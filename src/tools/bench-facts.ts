/** Host facts of the synthetic bundle: `ip addr` and `sysctl -a` as the host collectors write them. */

export function ipAddrText(nodeIp: string, podCidrOctet: number): string {
  return [
    "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000",
    "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00",
    "    inet 127.0.0.1/8 scope host lo",
    "       valid_lft forever preferred_lft forever",
    "    inet6 ::1/128 scope host noprefixroute ",
    "       valid_lft forever preferred_lft forever",
    "2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state UP group default qlen 1000",
    `    link/ether 52:54:00:12:38:${podCidrOctet.toString(16).padStart(2, "0")} brd ff:ff:ff:ff:ff:ff`,
    `    inet ${nodeIp}/24 brd 10.0.0.255 scope global eth0`,
    "       valid_lft forever preferred_lft forever",
    "3: kube-bridge: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000",
    `    link/ether 6e:1c:2a:44:10:${podCidrOctet.toString(16).padStart(2, "0")} brd ff:ff:ff:ff:ff:ff`,
    `    inet 10.244.${podCidrOctet}.1/24 brd 10.244.${podCidrOctet}.255 scope global kube-bridge`,
    "       valid_lft forever preferred_lft forever",
    "",
  ].join("\n");
}

/** A `sysctl -a` dump of a few hundred keys, with the forwarding setting given. */
export function sysctlText(ipForward: 0 | 1): string {
  const lines: string[] = [
    "fs.aio-max-nr = 65536",
    "fs.file-max = 9223372036854775807",
    "fs.inotify.max_user_instances = 128",
    "fs.inotify.max_user_watches = 1048576",
    "kernel.hostname = node",
    "kernel.panic = 10",
    "kernel.pid_max = 4194304",
    "net.bridge.bridge-nf-call-arptables = 1",
    "net.bridge.bridge-nf-call-ip6tables = 1",
    "net.bridge.bridge-nf-call-iptables = 1",
    "net.core.somaxconn = 4096",
    `net.ipv4.ip_forward = ${ipForward}`,
    "net.ipv4.ip_local_port_range = 32768\t60999",
    "net.netfilter.nf_conntrack_max = 262144",
    "vm.max_map_count = 262144",
    "vm.overcommit_memory = 1",
    "vm.swappiness = 60",
  ];
  const ifaces = ["all", "default", "eth0", "kube-bridge", "lo"];
  const settings = ["accept_local", "accept_redirects", "accept_source_route", "arp_accept", "arp_announce", "arp_filter", "arp_ignore", "forwarding", "log_martians", "mc_forwarding", "proxy_arp", "route_localnet", "rp_filter", "secure_redirects", "send_redirects", "shared_media", "src_valid_mark", "tag"];
  for (const iface of ifaces) {
    for (const s of settings) lines.push(`net.ipv4.conf.${iface}.${s} = ${s === "forwarding" ? ipForward : s === "rp_filter" ? 2 : 0}`);
  }
  return `${lines.sort().join("\n")}\n`;
}
