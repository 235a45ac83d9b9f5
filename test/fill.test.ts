import { describe, expect, it } from "vitest";
import { fillTemplate } from "../src/diagnose/fill.js";

describe("fillTemplate", () => {
  it("fills captures and leaves unknown placeholders visible", () => {
    expect(fillTemplate("dial {{ip}}:{{port}} {{nope}}", { ip: "10.0.0.1", port: "443" })).toBe("dial 10.0.0.1:443 {{nope}}");
  });

  it("strips what could break out of Markdown code or become HTML or a link", () => {
    const out = fillTemplate("host {{h}}", { h: "evil`](http://x.example)<script>![i](http://y)\u001b[31m" });
    expect(out).not.toMatch(/[`<>\u001b]/);
    expect(out).not.toContain("](");
    expect(out).not.toContain("![");
  });
});
