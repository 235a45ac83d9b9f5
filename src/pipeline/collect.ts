import { parseAllDocuments } from "yaml";
import { classifyFile, componentFromPath, factKinds, type FileKind } from "../detect/classify.js";
import { errorMessage } from "../errors.js";
import { ReadLimitReached } from "../ingest/budget.js";
import { dirName } from "../ingest/paths.js";
import { peek } from "../ingest/peek.js";
import { looksBinary } from "../ingest/sniff.js";
import type { BundleEntry } from "../ingest/types.js";
import type { WarningLog } from "../ingest/warnings.js";
import type { Limits } from "../limits.js";
import type { Evidence } from "../match/evidence.js";
import { LineMatcher } from "../match/matcher.js";
import { SignalSet } from "../match/signals.js";
import { UnclassifiedClusters } from "../match/unclassified.js";
import { asObj } from "../parse/facts/access.js";
import { collectionDateFromPath, isCollectionDateFile, parseDateOutput } from "../parse/facts/collection-date.js";
import { parseIpAddrJson, parseIpAddrText } from "../parse/facts/ip-addr.js";
import { findClusterConfig, readK0sConfig } from "../parse/facts/k0s-config.js";
import { readKubeObjects } from "../parse/facts/kube-objects.js";
import { readKubesprayVars, topLevelKeyLines } from "../parse/facts/kubespray.js";
import { serverVersionFromDocument, serverVersionFromText } from "../parse/facts/server-version.js";
import { parseServiceStatusJson, parseServiceStatusText } from "../parse/facts/services.js";
import { parseSysctlJson, parseSysctlText } from "../parse/facts/sysctl.js";
import { emptyFacts, type Facts } from "../parse/facts/types.js";
import { isoToUtc } from "../parse/timestamps.js";
import { errorishTriggers, logFileContext, scanLog, type LineScanMode, type RemoteLines } from "./collect-log.js";
import type { FileInfo } from "./file-info.js";
import type { ScanOffload } from "./parallel-offload.js";

/** Everything one pass over the bundle gathers; plain data for the diagnose stage. */
export interface Collected {
  facts: Facts;
  signals: SignalSet;
  unclassified: UnclassifiedClusters;
  files: FileInfo[];
  totalLines: number;
  totalBytes: number;
}

const headBytes = 8192;

/** What another thread takes over from the collector: flagged log lines and Kubernetes events to match. */
export interface RemoteInspection extends RemoteLines {
  event(text: string, evidence: Evidence): void;
}

export class BundleCollector {
  readonly facts = emptyFacts();
  readonly signals = new SignalSet();
  readonly unclassified = new UnclassifiedClusters();
  readonly files: FileInfo[] = [];
  private totalLines = 0;
  private totalBytes = 0;
  /** When the collector says it ran (sosreport's `date`, troubleshoot's folder name), once seen. */
  private collectionDate: Date | undefined;

  /** The matcher the log scan uses: it must also flag the words of error lines. */
  private readonly scanMatcher: LineMatcher;

  /**
   * `offload`, when given, is asked (with a log file's declared size) for a worker that
   * runs the keyword automaton over big blocks of the file's lines; it decides whether the
   * file is worth it, and must use this collector's patterns and `errorishTriggers`.
   */
  constructor(
    private readonly matcher: LineMatcher,
    private readonly limits: Limits,
    private readonly warnings: WarningLog,
    private readonly lineScan: LineScanMode = "blocks",
    private readonly offload?: (fileBytes: number | undefined) => ScanOffload | undefined,
    /** Flagged lines and matchable events go to another thread (line-work.ts), which then holds the signals. */
    private readonly remote?: RemoteInspection,
  ) {
    this.scanMatcher = errorishTriggers.every((t) => matcher.alsoFlag.includes(t)) ? matcher : new LineMatcher(matcher.patterns, { alsoFlag: errorishTriggers });
  }

  async add(entry: BundleEntry): Promise<void> {
    let peeked;
    try {
      peeked = await peek(entry.body, headBytes);
    } catch (err) {
      if (err instanceof ReadLimitReached) throw err;
      this.warnings.add({ code: "corrupt-entry", path: entry.path, message: `could not be read: ${errorMessage(err)}` });
      return;
    }
    const binary = looksBinary(peeked.head);
    const head = binary ? "" : peeked.head.toString("utf8");
    this.collectionDate ??= collectionDateFromPath(entry.path) ?? (isCollectionDateFile(entry.path) ? parseDateOutput(head) : undefined);
    const kind = classifyFile(entry.path, head, binary);
    const info: FileInfo = { path: entry.path, kind, bytes: 0, lines: 0, hosts: [] };
    this.files.push(info);
    try {
      if (factKinds.has(kind)) {
        const text = await this.readCapped(peeked.body, entry.path, info);
        if (text !== undefined) this.parseFacts(kind, text, entry.path);
      } else if (kind === "log") {
        info.component = componentFromPath(entry.path);
        // The collection date beats the entry's mtime, which a re-packed bundle resets.
        const ctx = { ...logFileContext(entry.path, head, this.collectionDate ?? entry.mtime), file: this.files.length - 1 };
        const sinks = { matcher: this.scanMatcher, limits: this.limits, warnings: this.warnings, signals: this.signals, unclassified: this.unclassified, ...(this.remote ? { remote: this.remote } : {}) };
        this.totalLines += await scanLog(peeked.body, ctx, info, sinks, this.lineScan, this.offload?.(entry.declaredSize));
      } else {
        for await (const chunk of peeked.body) info.bytes += chunk.length;
      }
    } catch (err) {
      // A read failure inside one file is that file's problem; the container walker
      // decides whether the rest of the bundle is still readable.
      if (err instanceof ReadLimitReached) throw err;
      this.warnings.add({ code: "parse-error", path: entry.path, message: `could not be read completely: ${errorMessage(err)}` });
    } finally {
      // A damaged archive fails here too; the walker reports it when it moves on.
      await peeked.drainRest().catch(() => undefined);
      this.totalBytes += info.bytes;
    }
  }

  result(): Collected {
    return { facts: this.facts, signals: this.signals, unclassified: this.unclassified, files: this.files, totalLines: this.totalLines, totalBytes: this.totalBytes };
  }

  private async readCapped(body: AsyncIterable<Buffer>, path: string, info: FileInfo): Promise<string | undefined> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body) {
      size += chunk.length;
      if (size <= this.limits.maxFactFileBytes) chunks.push(chunk);
    }
    info.bytes = size;
    if (size > this.limits.maxFactFileBytes) {
      this.warnings.add({ code: "limit-fact-file", path, message: `${size} bytes is over the ${this.limits.maxFactFileBytes}-byte limit for structured files; not parsed (raise with --max-fact-file-bytes)` });
      return undefined;
    }
    return Buffer.concat(chunks, size).toString("utf8");
  }

  private parseFacts(kind: FileKind, text: string, file: string): void {
    const facts = this.facts;
    try {
      switch (kind) {
        case "hostname":
          facts.hostnames.push({ dir: dirName(file).replace(/(^|\/)etc$/, ""), hostname: text.trim(), source: { file, line: 1 } });
          return;
        case "ip-addr": {
          const interfaces = text.trimStart().startsWith("[") ? parseIpAddrJson(JSON.parse(text)) : parseIpAddrText(text);
          facts.interfaces.push({ source: { file }, interfaces });
          return;
        }
        case "sysctl": {
          const values = text.trimStart().startsWith("{") ? parseSysctlJson(JSON.parse(text)) : parseSysctlText(text);
          facts.sysctls.push({ source: { file }, values });
          return;
        }
        case "server-version": {
          const trimmed = text.trimStart();
          const version = trimmed.startsWith("{") ? serverVersionFromDocument(JSON.parse(text)) : serverVersionFromText(text) ?? parseStructured(text).map(serverVersionFromDocument).find(Boolean);
          if (version) facts.serverVersions.push({ version, source: { file } });
          return;
        }
        case "service-status": {
          const states = text.trimStart().startsWith("[") ? parseServiceStatusJson(JSON.parse(text), file) : parseServiceStatusText(text, file);
          facts.services.push(...states);
          return;
        }
        default:
          break;
      }
      for (const doc of parseStructured(text)) {
        if (kind === "k0s-config") {
          const config = findClusterConfig(doc);
          if (config) facts.k0sConfigs.push(readK0sConfig(config, { file }));
        } else if (kind === "kubespray-vars") {
          facts.kubespray.push({ source: { file }, vars: readKubesprayVars(doc), lines: topLevelKeyLines(text) });
        } else if (kind === "helm-values") {
          facts.helmValues.push({ source: { file }, values: asObj(doc) ?? {} });
        } else if (kind === "kube-objects") {
          const events = readKubeObjects(doc, file, facts.kube);
          for (const event of events) {
            const evidence: Evidence = { file, text: event.text, ...(event.timestamp ? { timestamp: isoToUtc(event.timestamp) } : {}), ...(event.node ? { host: event.node } : {}) };
            if (this.remote) this.remote.event(event.text, evidence);
            else for (const hit of this.matcher.match(event.text)) this.signals.add(hit, evidence);
          }
        }
      }
    } catch (err) {
      this.warnings.add({ code: "parse-error", path: file, message: `${kind} file could not be parsed: ${errorMessage(err)}` });
    }
  }
}

function parseStructured(text: string): unknown[] {
  const trimmed = text.trimStart();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return [JSON.parse(text)];
    } catch {
      // Not JSON after all: YAML is a superset, try that.
    }
  }
  // maxAliasCount guards against "billion laughs" alias bombs.
  return parseAllDocuments(text, { logLevel: "silent" }).flatMap((d) => ("toJS" in d ? [d.toJS({ maxAliasCount: 100 })] : []));
}

