import { describe, expect, it } from "vitest";
import { redactText } from "../src/report/redact.js";

describe("redactText", () => {
  const cases: [string, string, string][] = [
    ["jwt", "token: eyJhbGciOiJSUzI1NiIsImtpZCI6IkFCQyJ9.eyJpc3MiOiJrdWJlcm5ldGVzL3NlcnZpY2VhY2NvdW50In0.c2lnbmF0dXJlLXBhcnQtaGVyZQ", "eyJhbGciOiJSUzI1NiIsImtpZCI6IkFCQyJ9"],
    ["bearer", "Authorization: Bearer abcdef0123456789abcdef", "abcdef0123456789abcdef"],
    ["kubeconfig", "    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQo=", "LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQo="],
    ["bootstrap", "kubeadm join 10.0.0.1:6443 --token abcdef.0123456789abcdef", "abcdef.0123456789abcdef"],
    ["pem", "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----", "MIIEowIBAAKCAQEA"],
    ["password", "db_password=SuperSecret123 user=admin", "SuperSecret123"],
    ["yaml secret", 'secret: "hunter2hunter2"', "hunter2hunter2"],
    ["url", "connecting to postgres://app:p4ssw0rd@db:5432/x", "p4ssw0rd"],
    ["aws", "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE"],
    ["k0s join token", "k0s worker H4sIAAAAAAAC/2yVT2/iOhfG9/0UVtd3AaSU0kp3kThOgYTQJE4gWeVP7SYmCTZpAiQj89", "H4sIAAAAAAAC"],
  ];
  it.each(cases)("removes %s", (_kind, text, secret) => {
    const out = redactText(text);
    expect(out).not.toContain(secret);
    expect(out).toContain("[REDACTED:");
  });

  it("keeps diagnostic text that is not secret", () => {
    const line = 'E0505 16:48:03.213218 1 clientset.go:204] "cannot connect once" err="dial tcp 192.168.1.41:8132: connect: no route to host"';
    expect(redactText(line)).toBe(line);
    expect(redactText("net.ipv4.ip_forward = 0")).toBe("net.ipv4.ip_forward = 0");
  });

  it("is idempotent", () => {
    const once = redactText("password=abc123xyz");
    expect(redactText(once)).toBe(once);
  });
});
