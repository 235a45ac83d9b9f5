import { describe, expect, it } from "vitest";
import { templateOf } from "../src/match/template.js";

describe("templateOf", () => {
  it("groups lines that differ only in addresses, numbers, times, ids and pod hashes", () => {
    const a = templateOf('E0611 08:16:06.1 1 reflector.go:12] failed to list pods: Get "https://10.96.0.1:443/api": dial tcp 10.96.0.1:443: i/o timeout');
    const b = templateOf('E0611 09:17:07.2 7 reflector.go:99] failed to list pods: Get "https://10.97.0.1:443/api": dial tcp 10.97.0.1:443: i/o timeout');
    expect(a).toBe(b);
    expect(templateOf("pod coredns-5d78c9869d-abcde restarted 3 times")).toBe(templateOf("pod coredns-7f89b7bc75-xyz12 restarted 12 times"));
  });

  it("masks IPv6 addresses without eating clock times", () => {
    expect(templateOf("peer 2001:db8::10 and fe80::1 at 10:11:12")).toBe("peer <IP6> and <IP6> at <TIME>");
    expect(templateOf("ready 10:11:12.345")).toBe("ready <TIME>");
  });

  it("keeps lines with different words apart", () => {
    expect(templateOf("connection refused")).not.toBe(templateOf("connection reset"));
  });
});
