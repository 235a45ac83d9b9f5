import { asArray, asObj, asString } from "./access.js";
import type { ServiceActivity, ServiceState, SourceRef } from "./types.js";

/**
 * Reads service state from `systemctl status X` text, `systemctl list-units` tables,
 * or troubleshoot's systemctl_services JSON.
 */
export function parseServiceStatusText(text: string, file: string): ServiceState[] {
  const out: ServiceState[] = [];
  const lines = text.split("\n");
  let current: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const header = /^[●○×*]?\s*([\w@.:-]+)\.service\b(?:\s+-\s+.*)?$/.exec(line);
    if (header) {
      current = header[1];
      continue;
    }
    const active = /^\s+Active:\s+(\w+)/.exec(line);
    if (active && current) {
      out.push({ name: current, active: activity(active[1] ?? ""), source: { file, line: i + 1 } });
      current = undefined;
      continue;
    }
    const unit = /^\s*[●*]?\s*([\w@.:-]+)\.service\s+(loaded|not-found|masked)\s+(\w+)\s+(\w+)/.exec(line);
    if (unit) out.push({ name: unit[1] ?? "", active: activity(unit[3] ?? ""), source: { file, line: i + 1 } });
  }
  return out;
}

export function parseServiceStatusJson(value: unknown, file: string): ServiceState[] {
  const out: ServiceState[] = [];
  for (const item of asArray(value)) {
    const o = asObj(item);
    if (!o) continue;
    const unit = asString(o.Unit) ?? asString(o.unit) ?? asString(o.name);
    const active = asString(o.Active) ?? asString(o.active);
    if (!unit || !active) continue;
    const source: SourceRef = { file };
    out.push({ name: unit.replace(/\.service$/, ""), active: activity(active), source });
  }
  return out;
}

function activity(word: string): ServiceActivity {
  switch (word) {
    case "active":
    case "inactive":
    case "failed":
    case "activating":
      return word;
    default:
      return "unknown";
  }
}

export function looksLikeServiceStatus(head: string): boolean {
  // Literal pre-checks first: every file of a bundle is sniffed (see looksLikeIpAddr).
  return (
    (head.includes("Loaded:") && /^\s+Loaded:\s+(loaded|not-found|masked)/m.test(head)) ||
    (head.includes(".service") && /^\s*[●*]?\s*[\w@.:-]+\.service\s+(loaded|not-found|masked)\s+\w+\s+\w+/m.test(head)) ||
    (head.includes('"Unit"') && /"Unit"\s*:/.test(head) && /"Active"\s*:/.test(head))
  );
}
