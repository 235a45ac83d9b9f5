import { Marked } from "marked";
import { renderMarkdown } from "./markdown.js";
import type { Report } from "./model.js";

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/**
 * marked passes raw HTML through untouched, and bundle text can hold HTML. Every raw HTML
 * token is escaped except the few fixed tags our own Markdown renderer writes.
 */
const ownTags = /^<(?:\/?details|summary|\/summary|a id="[0-9a-z-]+"|\/a)>$/;

function htmlRenderer(): Marked {
  const marked = new Marked({ gfm: true, async: false });
  marked.use({
    renderer: {
      html(token) {
        const raw = token.raw.trim();
        return raw.split(/(?=<)/).every((part) => ownTags.test(part.trim()) || part.trim() === "") ? token.raw : escapeHtml(token.raw);
      },
      link(token) {
        const href = token.href;
        // Only http(s) and in-page links: a javascript: URL from a bundle must not become clickable.
        if (!/^(https?:\/\/|#|docs\/)/.test(href)) return escapeHtml(token.text);
        const text = this.parser.parseInline(token.tokens);
        return `<a href="${escapeHtml(href)}">${text}</a>`;
      },
    },
  });
  return marked;
}

const style = `
:root { color-scheme: light dark; --fg:#1b1f24; --bg:#ffffff; --muted:#57606a; --code:#f3f4f6; --border:#d0d7de; }
@media (prefers-color-scheme: dark) { :root { --fg:#e6edf3; --bg:#0d1117; --muted:#8d96a0; --code:#161b22; --border:#30363d; } }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); max-width: 980px; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; } h2 { border-bottom: 1px solid var(--border); padding-bottom: .3rem; margin-top: 2rem; }
table { border-collapse: collapse; margin: 1rem 0; } th, td { border: 1px solid var(--border); padding: .3rem .6rem; text-align: left; vertical-align: top; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 13px; background: var(--code); border-radius: 4px; }
pre { padding: .6rem; overflow-x: auto; white-space: pre-wrap; word-break: break-all; } code { padding: .1rem .3rem; }
blockquote { border-left: 4px solid #d29922; margin: 1rem 0; padding: .2rem 1rem; color: var(--muted); }
@media print { body { max-width: none; margin: 0; } pre { white-space: pre-wrap; } details { display: block; } }
`;

/** One self-contained page: inline CSS, no scripts, no external fetches. */
export function renderHtml(report: Report): string {
  const body = htmlRenderer().parse(renderMarkdown(report)) as string;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>Support bundle analysis: ${escapeHtml(report.bundle.name)}</title>
<style>${style}</style>
</head>
<body>
${body}
</body>
</html>
`;
}
