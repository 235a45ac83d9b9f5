/**
 * Fills {{name}} placeholders; an unknown name stays visible rather than silently vanishing.
 * Values come from the bundle, so characters that could break out of Markdown code or
 * inject HTML are dropped from them.
 */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (whole, name: string) => {
    const value = values[name];
    return value === undefined ? whole : safeValue(value);
  });
}

export function safeValue(value: string): string {
  // Also break Markdown link/image syntax ("](", "![") so a captured value cannot become a link.
  // eslint-disable-next-line no-control-regex
  return value.replace(/[<>`\u0000-\u001f\u007f]/g, "").replace(/\]\(/g, "] (").replace(/!\[/g, "! [");
}
