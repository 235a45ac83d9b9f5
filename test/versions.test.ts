import { beforeAll, describe, expect, it } from "vitest";
import { summarizeReport } from "../src/batch/summarize.js";
import { classifyFile } from "../src/detect/classify.js";
import { loadLibrary, type PatternLibrary } from "../src/match/load.js";
import { serverVersionFromDocument, serverVersionFromText } from "../src/parse/facts/server-version.js";
import { analyzeBundle } from "../src/pipeline/analyze.js";
import { renderReport } from "../src/report/render.js";
import { makeTarGz, writeTemp } from "./support/archives.js";

// Shapes as the collectors write them (kubectl's two text forms, troubleshoot's cluster-info).
const kubectlLegacy = [
  'Client Version: version.Info{Major:"1", Minor:"23", GitVersion:"v1.23.3", GitCommit:"816c97ab8cff8a1c72eccca1026f7820e93e0d25", GitTreeState:"clean", BuildDate:"2022-01-26T02:20:15Z", GoVersion:"go1.17.6", Compiler:"gc", Platform:"linux/amd64"}',
  'Server Version: version.Info{Major:"1", Minor:"22", GitVersion:"v1.22.9", GitCommit:"6df4433e288edc9c40c2e344eb336f63fad45cd2", GitTreeState:"clean", BuildDate:"2022-04-13T19:52:02Z", GoVersion:"go1.16.15", Compiler:"gc", Platform:"linux/amd64"}',
].join("\n");
const kubectlNew = "Client Version: v1.30.2\nKustomize Version: v5.0.4-0.20230601165947-6ce0bf390ce3\nServer Version: v1.30.2+k0s\n";
const clusterVersionJson = JSON.stringify({ info: { major: "1", minor: "24", gitVersion: "v1.24.4+k3s1", platform: "linux/arm64" }, string: "v1.24.4+k3s1" }, null, 2);

let library: PatternLibrary;
beforeAll(async () => {
  library = await loadLibrary();
});

describe("server version parsers", () => {
  it("read kubectl version text in the old and the new form, and ignore the client's", () => {
    expect(serverVersionFromText(kubectlLegacy)).toBe("v1.22.9");
    expect(serverVersionFromText(kubectlNew)).toBe("v1.30.2+k0s");
    // Cluster unreachable: kubectl prints only its own version.
    expect(serverVersionFromText('Client Version: v1.30.2\nThe connection to the server localhost:8080 was refused - did you specify the right host or port?\n')).toBeUndefined();
  });

  it("read troubleshoot's cluster_version.json and kubectl version -o json", () => {
    expect(serverVersionFromDocument(JSON.parse(clusterVersionJson))).toBe("v1.24.4+k3s1");
    expect(serverVersionFromDocument({ clientVersion: { gitVersion: "v1.31.0" }, serverVersion: { gitVersion: "v1.29.6-eks-1552ad0" } })).toBe("v1.29.6-eks-1552ad0");
    expect(serverVersionFromDocument({ clientVersion: { gitVersion: "v1.31.0" } })).toBeUndefined();
  });

  it("take nothing that is not shaped like a version", () => {
    expect(serverVersionFromText("Client Version: v1\nServer Version: <script>alert(1)</script>\n")).toBeUndefined();
    expect(serverVersionFromDocument({ serverVersion: { gitVersion: "v1.2.3 rm -rf /" } })).toBeUndefined();
    expect(serverVersionFromDocument({ info: { gitVersion: 42 } })).toBeUndefined();
  });

  it("are reached through the classifier by content and name", () => {
    expect(classifyFile("sosreport-x/sos_commands/kubernetes/kubectl_--kubeconfig_.root.cdk.cdk_addons_kubectl_config_version", kubectlLegacy, false)).toBe("server-version");
    expect(classifyFile("support-bundle/cluster-info/cluster_version.json", clusterVersionJson, false)).toBe("server-version");
    // troubleshoot's own version.yaml is the collector's version, not the cluster's.
    expect(classifyFile("support-bundle/version.yaml", "apiVersion: troubleshoot.sh/v1beta2\nkind: SupportBundle\nspec:\n  versionNumber: 0.99.0\n", false)).not.toBe("server-version");
  });
});

describe("versions in the report and the batch index", () => {
  it("come from the server, the kubelets and kubespray, and show skew", async () => {
    const nodes = {
      apiVersion: "v1",
      kind: "List",
      items: [
        { apiVersion: "v1", kind: "Node", metadata: { name: "cp-1" }, status: { nodeInfo: { kubeletVersion: "v1.24.4+k3s1" } } },
        { apiVersion: "v1", kind: "Node", metadata: { name: "worker-1" }, status: { nodeInfo: { kubeletVersion: "v1.23.9+k3s1" } } },
      ],
    };
    const bundle = await writeTemp(
      "versions.tar.gz",
      await makeTarGz([
        { name: "support-bundle/cluster-info/cluster_version.json", content: clusterVersionJson },
        { name: "support-bundle/cluster-resources/nodes.json", content: JSON.stringify(nodes) },
        { name: "support-bundle/host-collectors/run-host/worker-1/kubelet.log", content: 'E0612 10:00:00.000000    1 kubelet.go:1] "Failed to get system container stats" err="boom"\n' },
      ]),
    );
    const report = await analyzeBundle(bundle, { library });
    expect(report.inventory.versions).toEqual({ kubernetes: ["v1.23.9", "v1.24.4"], distribution: ["k3s v1.23.9+k3s1", "k3s v1.24.4+k3s1"] });
    expect(renderReport(report, "md", true)).toContain("| Versions | Kubernetes v1.23.9, v1.24.4 \\(k3s v1.23.9\\+k3s1, k3s v1.24.4\\+k3s1\\) |");
    const summary = summarizeReport(JSON.parse(renderReport(report, "json", true)));
    expect(summary.versions).toEqual({ distribution: "k3s v1.23.9+k3s1, k3s v1.24.4+k3s1", kubernetes: "v1.23.9, v1.24.4" });
  });

  it("are absent, not invented, when the bundle states none", async () => {
    const bundle = await writeTemp("no-versions.tar.gz", await makeTarGz([{ name: "n1/kubelet.log", content: 'E0612 10:00:00.000000    1 kubelet.go:1] "x" err="y"\n' }]));
    const report = await analyzeBundle(bundle, { library });
    expect(report.inventory.versions).toBeUndefined();
    expect(renderReport(report, "md", true)).toContain("| Versions | unknown |");
  });
});
