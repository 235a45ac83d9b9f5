import { describe, expect, it } from "vitest";
import { redactDeep, redactText } from "../src/report/redact.js";

describe("redactText: every kind of secret the issue names", () => {
  const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2EifQ.c2lnbmF0dXJlLXZhbHVlLWhlcmU";
  const cases: [string, string, string, string][] = [
    // [name, text, secret that must go, marker kind]
    ["JWT", `token=${jwt}`, "eyJzdWIiOiJzeXN0ZW06c2EifQ", "jwt"],
    ["JWT cut short by truncation", "sa=eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06…", "eyJzdWIiOiJzeXN0ZW06", "jwt"],
    ["service-account token stored base64 in a Secret", `  token: ${Buffer.from(jwt).toString("base64")}`, Buffer.from(jwt).toString("base64"), "jwt"],
    ["bearer token", "curl -H 'Authorization: Bearer s3cr3tBearerValue'", "s3cr3tBearerValue", "bearer"],
    ["basic auth", "Authorization: Basic YWRtaW46aHVudGVyMg==", "YWRtaW46aHVudGVyMg==", "basic-auth"],
    ["other authorization scheme", 'header="Authorization: Token tok3nValue"', "tok3nValue", "authorization"],
    ["bootstrap token", "kubeadm join 10.0.0.1:6443 --token abcdef.0123456789abcdef", "abcdef.0123456789abcdef", "bootstrap-token"],
    ["kubeadm certificate key", "kubeadm join --control-plane --certificate-key 9f2c0e5d1a7b", "9f2c0e5d1a7b", "secret"],
    ["k0s join token", "k0s install worker --token-file x H4sIAAAAAAAC/2yVT2PlantedJoin", "H4sIAAAAAAAC/2yVT2PlantedJoin", "join-token"],
    ["kubeconfig client-key-data", "    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQo=", "LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQo=", "pem-base64"],
    ["kubeconfig token-data style field", '"token-data": "c2VjcmV0LXRva2VuLWRhdGE="', "c2VjcmV0LXRva2VuLWRhdGE=", "kubeconfig-data"],
    ["PEM private key", "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIIrYSSNQFaA2Hwf1\n-----END EC PRIVATE KEY-----", "MHcCAQEEIIrYSSNQFaA2Hwf1", "private-key"],
    ["PEM private key in a JSON string", '{"private_key":"-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkq\\n-----END PRIVATE KEY-----\\n"}', "MIIEvQIBADANBgkq", "private-key"],
    ["PGP private key block", "-----BEGIN PGP PRIVATE KEY BLOCK-----\nlQOYBGPlanted\n-----END PGP PRIVATE KEY BLOCK-----", "lQOYBGPlanted", "private-key"],
    ["base64 PEM in Secret data", "  tls.key: LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCk1JSUV2", "LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCk1JSUV2", "pem-base64"],
    ["password key=value", "db_password=SuperSecret123 user=admin", "SuperSecret123", "secret"],
    ["YAML password, a plain word last on its line", "  password: changeme\n  user: admin", "changeme", "secret"],
    ["password after a colon in a sentence, when it looks like one", "login failed, password: hunter2 was rejected", "hunter2", "secret"],
    ["quoted password with spaces", 'password: "correct horse battery"', "correct horse battery", "secret"],
    ["escaped JSON inside a log line", 'msg="{\\"password\\":\\"hunter2x\\"}"', "hunter2x", "secret"],
    ["env dump", "export GITHUB_TOKEN=abc123def456 HOME=/root", "abc123def456", "secret"],
    ["connection string", "Server=tcp:db,1433;User ID=app;Password=p@ss;Encrypt=true", "p@ss", "secret"],
    ["Azure account key", "DefaultEndpointsProtocol=https;AccountName=x;AccountKey=Zm9vYmFyYmF6==;EndpointSuffix=core", "Zm9vYmFyYmF6==", "secret"],
    ["SAS signature in a URL", "https://x.blob.core.windows.net/c?sv=2020&sig=AbCdEf123%3D&se=2030", "AbCdEf123%3D", "secret"],
    ["URL with credentials", "connecting to postgres://app:p4ssw0rd@db:5432/x", "p4ssw0rd", "url-credentials"],
    ["URL with an empty user", "redis://:r3disPw@cache:6379/0", "r3disPw", "url-credentials"],
    ["password flag with a space", "mysql --password s3cretFlag --host db", "s3cretFlag", "secret"],
    ["docker config auth", '{"auths":{"r.example.com":{"auth":"cm9ib3Q6cHc="}}}', "cm9ib3Q6cHc=", "secret"],
    ["AWS access key id", "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE", "aws-access-key"],
    ["AWS secret access key", "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "secret"],
    ["GCP API key", "key=AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW", "AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW", "gcp-api-key"],
    ["GitHub token", "remote: ghp_abcdefghijklmnopqrstuvwxyz0123456789", "ghp_abcdefghijklmnopqrstuvwxyz0123456789", "github-token"],
    ["Slack token masked by the templater", "slack=xoxb-<HEX>-Planted0SlackToken", "Planted0SlackToken", "slack-token"],
  ];
  it.each(cases)("removes %s", (_name, text, secret, kind) => {
    const out = redactText(text);
    expect(out).not.toContain(secret);
    expect(out).toContain(`[REDACTED:${kind}]`);
  });

  const kept: [string, string][] = [
    ["klog source location", 'E0505 16:48:04.000002 1 secret.go:20] "cannot mount secret"'],
    ["where a secret is, not the secret", "secretName: kube-root-ca tokenFile: /var/run/token passwordRef: db"],
    ["the working folder in an env dump", "PWD=/root OLDPWD=/home/admin"],
    ["placeholders", "password: true token: null"],
    ["a diagnostic line", 'E0505 16:48:03.213218 1 clientset.go:204] "cannot connect once" err="dial tcp 192.168.1.41:8132: connect: no route to host"'],
    ["a sysctl line", "net.ipv4.ip_forward = 0"],
    ["the words basic auth", "no basic auth credentials"],
    // Diagnostic prose of shipped patterns' example lines: redaction must not eat the evidence.
    ["prose after a colon", "Error: failed to decode join token: illegal base64 data at input byte 0"],
    ["prose about authorization", "pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed"],
    ["an image whose name ends in -auth", 'Failed to pull image "rmeuser-auth:latest": rpc error'],
    ["a placeholder in a fix", "kubectl create secret docker-registry regcred --docker-password=<token> -n <namespace>"],
    ["a value on the next line", "holds an expired token:\n- the CNI kubeconfig"],
  ];
  it.each(kept)("keeps %s", (_name, text) => {
    expect(redactText(text)).toBe(text);
  });

  it("finds a secret inside the value of a key that is not secret", () => {
    expect(redactText("config=password=hunter22")).toBe("config=password=[REDACTED:secret]");
  });

  it("is idempotent", () => {
    for (const [, text] of cases) {
      const once = redactText(text);
      expect(redactText(once)).toBe(once);
    }
  });

  it("redacts every string of a nested structure and leaves other values alone", () => {
    const out = redactDeep({ a: ["password=abc123"], b: { c: "Bearer abcdefgh12345", n: 3, t: true } });
    expect(out).toEqual({ a: ["password=[REDACTED:secret]"], b: { c: "Bearer [REDACTED:bearer]", n: 3, t: true } });
  });
});
