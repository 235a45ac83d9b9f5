import { describe, expect, it } from "vitest";
import { parseIpAddrJson, parseIpAddrText } from "../src/parse/facts/ip-addr.js";
import { readK0sConfig, findClusterConfig } from "../src/parse/facts/k0s-config.js";
import { parseServiceStatusText } from "../src/parse/facts/services.js";
import { parseSysctlText } from "../src/parse/facts/sysctl.js";
import { parseLogLine, sniffLogFormat } from "../src/parse/log-line.js";
import { parse as parseYaml } from "yaml";
import { readFileSync, existsSync } from "node:fs";

const ref = { year: 2025, month: 5 };

describe("parseLogLine", () => {
  it("reads journald short lines with host, unit and the year from the file time", () => {
    const p = parseLogLine("Jun 11 08:16:06 worker-1 k0s[1234]: time=\"2025-06-11 08:16:06\" level=error msg=\"boom\"", "journald", ref);
    expect(p).toMatchObject({ format: "journald", host: "worker-1", component: "k0s", level: "error", timestamp: "2025-06-11T08:16:06.000Z" });
  });

  it("puts a December stamp in the previous year when the file is from June", () => {
    expect(parseLogLine("Dec 31 23:59:59 h kubelet[1]: x", "journald", ref).timestamp).toBe("2024-12-31T23:59:59.000Z");
  });

  it("reads short-iso with a zone offset, normalised to UTC", () => {
    expect(parseLogLine("2025-06-11T10:16:06+0200 node-a kubelet[77]: ok", "journald-iso", ref)).toMatchObject({ timestamp: "2025-06-11T08:16:06.000Z", host: "node-a", component: "kubelet" });
  });

  it("unwraps CRI lines and parses the klog line inside", () => {
    const p = parseLogLine('2025-05-05T11:48:03.213617621-05:00 stderr F E0505 16:48:03.213218       1 clientset.go:204] "cannot connect once"', "cri", ref);
    expect(p).toMatchObject({ format: "cri", level: "error", timestamp: "2025-05-05T16:48:03.213Z" });
  });

  it("reads klog, JSON and logfmt levels", () => {
    expect(parseLogLine("W0611 08:16:06.123456    1234 file.go:12] careful", "klog", ref)).toMatchObject({ level: "warning", timestamp: "2025-06-11T08:16:06.123Z" });
    expect(parseLogLine('{"level":"warn","ts":"2025-06-11T08:16:06.1Z","msg":"slow"}', "json", ref)).toMatchObject({ level: "warning", timestamp: "2025-06-11T08:16:06.100Z" });
    expect(parseLogLine('time="2025-06-11T08:16:06Z" level=error msg="x"', "logfmt", ref)).toMatchObject({ level: "error" });
    expect(parseLogLine("[ERROR] plugin/errors: 2 example.org. A: read udp", "plain", ref).level).toBe("error");
  });

  it("reads journalctl -o json with host, unit, priority and the realtime stamp", () => {
    const line = JSON.stringify({ __REALTIME_TIMESTAMP: "1749629766123456", _HOSTNAME: "worker-1", SYSLOG_IDENTIFIER: "kubelet", PRIORITY: "3", MESSAGE: "Failed to pull image" });
    expect(parseLogLine(line, "json", ref)).toMatchObject({ host: "worker-1", component: "kubelet", level: "error", timestamp: "2025-06-11T08:16:06.123Z", message: "Failed to pull image" });
  });

  it("reads journalctl short-monotonic and export MESSAGE= lines, docker json-file and dmesg", () => {
    expect(parseLogLine("[   12.345678] worker-1 kernel: Out of memory: Killed process 1234 (java)", "journald-monotonic", ref)).toMatchObject({ host: "worker-1", component: "kernel" });
    expect(parseLogLine("MESSAGE=E0611 08:16:06.1 1 a.go:1] boom", "journald-export", ref)).toMatchObject({ level: "error", message: "E0611 08:16:06.1 1 a.go:1] boom" });
    expect(parseLogLine('{"log":"level=error msg=\\"x\\"\\n","stream":"stderr","time":"2025-06-11T08:16:06.5Z"}', "json", ref)).toMatchObject({ timestamp: "2025-06-11T08:16:06.500Z" });
    expect(parseLogLine("[ 1234.567890] nf_conntrack: table full, dropping packet", "dmesg", ref)).toMatchObject({ format: "dmesg", message: "nf_conntrack: table full, dropping packet" });
  });

  it("sniffs the format most first lines agree on", () => {
    expect(sniffLogFormat(["I0611 08:16:06.1 1 a.go:1] x", "E0611 08:16:07.1 1 a.go:1] y", "continuation"])).toBe("klog");
    expect(sniffLogFormat(["hello", "world"])).toBe("plain");
  });
});

describe("facts parsers", () => {
  const ipText = [
    "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000",
    "    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00",
    "    inet 127.0.0.1/8 scope host lo",
    "2: enp1s0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP group default qlen 1000",
    "    link/ether 52:54:00:12:34:56 brd ff:ff:ff:ff:ff:ff",
    "    inet 192.168.1.50/24 brd 192.168.1.255 scope global noprefixroute enp1s0",
    "       valid_lft forever preferred_lft forever",
    "3: tailscale0: <POINTOPOINT,MULTICAST,NOARP,UP,LOWER_UP> mtu 1280 qdisc fq_codel state UNKNOWN group default qlen 500",
    "    link/none ",
    "    inet 100.64.0.2/32 scope global tailscale0",
    "    inet6 fd7a:115c:a1e0::2/128 scope global ",
  ].join("\n");

  it("parses ip addr text with flags, link type, addresses and their lines", () => {
    const ifaces = parseIpAddrText(ipText);
    expect(ifaces.map((i) => i.name)).toEqual(["lo", "enp1s0", "tailscale0"]);
    const ts = ifaces[2];
    expect(ts?.linkType).toBe("none");
    expect(ts?.flags).toContain("POINTOPOINT");
    expect(ts?.addresses[0]).toMatchObject({ family: "inet", address: "100.64.0.2", prefixLength: 32, line: 10 });
    expect(ts?.addresses[1]?.family).toBe("inet6");
  });

  it("parses ip -o addr and ip -j addr", () => {
    expect(parseIpAddrText("2: ens3    inet 10.6.3.201/16 brd 10.6.255.255 scope global dynamic ens3\\       valid_lft 1sec")[0]?.addresses[0]?.address).toBe("10.6.3.201");
    const json = [{ ifname: "eth0", flags: ["UP"], operstate: "UP", addr_info: [{ family: "inet", local: "10.0.0.5", prefixlen: 24, scope: "global" }] }];
    expect(parseIpAddrJson(json)[0]).toMatchObject({ name: "eth0", addresses: [{ address: "10.0.0.5", prefixLength: 24 }] });
  });

  it("parses sysctl -a in both the dotted and the /proc/sys forms", () => {
    const v = parseSysctlText("net.ipv4.ip_forward = 0\n/proc/sys/net/bridge/bridge-nf-call-iptables = 1\nkernel.hostname = a = b\n");
    expect(v.get("net.ipv4.ip_forward")).toEqual({ value: "0", line: 1 });
    expect(v.get("net.bridge.bridge-nf-call-iptables")?.value).toBe("1");
    expect(v.get("kernel.hostname")?.value).toBe("a = b");
  });

  it("parses systemctl status output", () => {
    const s = parseServiceStatusText("● firewalld.service - firewalld - dynamic firewall daemon\n   Loaded: loaded (/usr/lib/systemd/system/firewalld.service; enabled)\n   Active: active (running) since Wed 2025-06-11\n", "x");
    expect(s).toEqual([{ name: "firewalld", active: "active", source: { file: "x", line: 3 } }]);
  });

  const dualStack = "../shared/corpus/docs-examples/k0s-dual-stack-kube-router.yaml";
  it.runIf(existsSync(dualStack))("reads the k0s docs' dual-stack ClusterConfig (corpus)", () => {
    const config = findClusterConfig(parseYaml(readFileSync(dualStack, "utf8")));
    expect(config).toBeDefined();
    const facts = readK0sConfig(config as Record<string, unknown>, { file: "k0s.yaml" });
    expect(facts.dualStackEnabled).toBe(true);
    expect(facts.serviceCIDRs.length).toBe(2);
  });
});
