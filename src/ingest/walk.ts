import { createReadStream } from "node:fs";
import { lstat, opendir } from "node:fs/promises";
import { join } from "node:path";
import { BundleAnalyzeError, errorMessage } from "../errors.js";
import type { Limits } from "../limits.js";
import { ByteBudget, ReadLimitReached } from "./budget.js";
import { decompressorFor, type Decompressor } from "./decompress.js";
import { baseName, joinBundlePath, normalizeEntryPath } from "./paths.js";
import { peek } from "./peek.js";
import { sniffBytes, sniffFormat, type ContainerFormat } from "./sniff.js";
import { tarEntries } from "./tar-entries.js";
import type { BundleEntry } from "./types.js";
import type { WarningLog } from "./warnings.js";
import { unxz } from "./xz.js";
import { readZip, type ZipSource } from "./zip.js";

export interface WalkContext {
  limits: Limits;
  warnings: WarningLog;
  budget: ByteBudget;
  /** Inflates the bundle file itself when it is gzip (e.g. in a thread of its own); nested streams use the registry's. */
  rootGunzip?: Decompressor;
}

/** The walk's own view of the context: where the bundle file is, for formats that need random access. */
interface ExpandContext extends WalkContext {
  rootPath?: string;
  /** Bytes of nested zips held in memory right now, across all nesting levels. */
  zipHeld?: { bytes: number };
}

/** Zips nested inside another container are held in memory to be read: this much at most, all levels together. */
const maxNestedZipBytes = 256 * 1024 * 1024;

function decompressorOf(format: ContainerFormat): Decompressor | undefined {
  return decompressorFor(format) ?? (format === "xz" ? unxz : undefined);
}

/** What a walk found out about the bundle's outer container, for the report header. */
export interface WalkSummary {
  container: "directory" | ContainerFormat;
}

const readChunkBytes = 1024 * 1024;

/**
 * Streams every regular file of a bundle: a directory, a tar (plain or compressed), or a
 * single file. Nested archives and compressed members are opened in-stream. Nothing is
 * ever written to disk; links and special files are skipped, never followed.
 */
export async function* walkBundle(inputPath: string, ctx: WalkContext, summary: WalkSummary): AsyncGenerator<BundleEntry> {
  let info;
  try {
    info = await lstat(inputPath);
  } catch (err) {
    throw new BundleAnalyzeError(`cannot open ${inputPath}: ${errorMessage(err)}`, "E_INPUT_NOT_FOUND", { cause: err });
  }
  try {
    if (info.isDirectory()) {
      summary.container = "directory";
      yield* walkDirectory(inputPath, "", ctx);
      return;
    }
    if (!info.isFile()) {
      throw new BundleAnalyzeError(`${inputPath} is not a file or directory`, "E_INPUT_UNREADABLE");
    }
    const source = createReadStream(inputPath, { highWaterMark: readChunkBytes });
    const peeked = await peek(source as AsyncIterable<Buffer>, sniffBytes);
    summary.container = sniffFormat(peeked.head);
    if (peeked.head.length === 0) {
      throw new BundleAnalyzeError(`${inputPath} is empty: there is nothing to analyse`, "E_NOTHING_READABLE");
    }
    yield* expand(peeked.body, "", baseName(inputPath), info.mtime, info.size, 0, { ...ctx, rootPath: inputPath }, true);
  } catch (err) {
    if (err instanceof ReadLimitReached) {
      ctx.warnings.add({ code: err.code, message: err.message });
      return;
    }
    throw err;
  }
}

/**
 * Decides what one stream is (archive, compressed file, plain file) and yields its files.
 * `prefix` is where the stream's contents live in the bundle; `name` its own file name.
 */
async function* expand(
  source: AsyncIterable<Buffer>,
  prefix: string,
  name: string,
  mtime: Date | undefined,
  declaredSize: number | undefined,
  depth: number,
  ctx: ExpandContext,
  isRoot = false,
): AsyncGenerator<BundleEntry> {
  const peeked = await peek(source, sniffBytes);
  const format = sniffFormat(peeked.head);
  const displayPath = isRoot ? "" : joinBundlePath(prefix, name);

  if (format === "tar") {
    if (depth > ctx.limits.maxNestingDepth) {
      ctx.warnings.add({ code: "limit-nesting", path: displayPath, message: `archive nested deeper than ${ctx.limits.maxNestingDepth} levels was not opened (raise with --max-depth)` });
      await peeked.drainRest();
      return;
    }
    // The outer archive's contents sit at the bundle root; a nested one under its own name.
    yield* walkTar(peeked.body, isRoot ? "" : displayPath, depth + 1, ctx);
    return;
  }

  if (format === "zip") {
    if (depth > ctx.limits.maxNestingDepth) {
      ctx.warnings.add({ code: "limit-nesting", path: displayPath, message: `archive nested deeper than ${ctx.limits.maxNestingDepth} levels was not opened (raise with --max-depth)` });
      await peeked.drainRest();
      return;
    }
    const held = (ctx.zipHeld ??= { bytes: 0 });
    const source = isRoot && ctx.rootPath ? { path: ctx.rootPath } : await bufferZip(peeked.body, displayPath, ctx, held);
    await peeked.drainRest();
    if (!source) return;
    const size = "buffer" in source ? source.buffer.length : 0;
    try {
      yield* walkZip(source, isRoot ? "" : displayPath, depth + 1, ctx);
    } finally {
      held.bytes -= size;
    }
    return;
  }

  if (format === "gzip" || format === "xz" || format === "bzip2" || format === "zstd") {
    const decompressor = isRoot && format === "gzip" && ctx.rootGunzip ? ctx.rootGunzip : decompressorOf(format);
    if (!decompressor) {
      const message = `${format} content is not supported here`;
      if (isRoot) throw new BundleAnalyzeError(`${name}: ${message}; unpack it and point bundle-analyze at the folder`, "E_NOT_A_BUNDLE");
      ctx.warnings.add({ code: "unreadable-file", path: displayPath, message });
      await peeked.drainRest();
      return;
    }
    const inflation = decompressor(peeked.body);
    const inflated = ctx.budget.guardRatio(inflation.output, inflation.compressedBytes, displayPath || name);
    try {
      yield* expand(inflated, prefix, stripCompressionSuffix(name), mtime, undefined, depth, ctx, isRoot);
    } catch (err) {
      if (err instanceof ReadLimitReached || err instanceof BundleAnalyzeError) throw err;
      ctx.warnings.add({
        code: isRoot ? "truncated-archive" : "corrupt-entry",
        path: displayPath || name,
        message: `${format} stream is damaged (${errorMessage(err)}); what came before the damage was analysed`,
      });
    }
    await peeked.drainRest().catch(() => undefined);
    return;
  }

  // A plain file. At the root this is a bundle of one file (e.g. a single journal dump).
  const counted = ctx.budget.meter(peeked.body);
  yield { path: displayPath || name, declaredSize, mtime, body: counted };
  await peeked.drainRest();
}

async function bufferZip(body: AsyncIterable<Buffer>, displayPath: string, ctx: ExpandContext, held: { bytes: number }): Promise<ZipSource | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.budget.meter(body)) {
    size += chunk.length;
    if (held.bytes + size > maxNestedZipBytes) {
      ctx.warnings.add({ code: "unreadable-file", path: displayPath, message: `nested zip not opened: nested zips may hold at most ${maxNestedZipBytes} bytes in memory together; unzip it and analyse its folder` });
      return undefined;
    }
    chunks.push(chunk);
  }
  held.bytes += size;
  return { buffer: Buffer.concat(chunks, size) };
}

async function* walkZip(source: ZipSource, prefix: string, depth: number, ctx: ExpandContext): AsyncGenerator<BundleEntry> {
  for await (const member of readZip(source, prefix || "(bundle)", ctx.warnings)) {
    ctx.budget.countEntry();
    const { path, unsafe } = normalizeEntryPath(member.name);
    const fullPath = joinBundlePath(prefix, path);
    if (unsafe) ctx.warnings.add({ code: "unsafe-path", path: fullPath, message: `entry name was absolute or contained ".."; shown relative to the bundle` });
    if (member.isDirectory) continue;
    if (member.isLink) {
      ctx.warnings.add({ code: "skipped-link", path: fullPath, message: "symlink not followed" });
      continue;
    }
    let stream: AsyncIterable<Buffer>;
    try {
      stream = await member.open();
    } catch (err) {
      ctx.warnings.add({ code: "corrupt-entry", path: fullPath, message: `could not be read: ${errorMessage(err)}` });
      continue;
    }
    const guarded = ctx.budget.guardRatio(stream, () => member.compressedSize, fullPath);
    try {
      yield* expand(guarded, dirPart(fullPath), basePart(fullPath), member.mtime, member.declaredSize, depth, ctx);
    } catch (err) {
      if (err instanceof ReadLimitReached || err instanceof BundleAnalyzeError) throw err;
      ctx.warnings.add({ code: "corrupt-entry", path: fullPath, message: `member is damaged (${errorMessage(err)})` });
    }
  }
}

async function* walkTar(source: AsyncIterable<Buffer>, prefix: string, depth: number, ctx: ExpandContext): AsyncGenerator<BundleEntry> {
  let entries = 0;
  try {
    for await (const entry of tarEntries(source)) {
      entries++;
      ctx.budget.countEntry();
      const header = entry.header;
      const { path, unsafe } = normalizeEntryPath(header.name);
      const fullPath = joinBundlePath(prefix, path);
      if (unsafe) {
        ctx.warnings.add({ code: "unsafe-path", path: fullPath, message: `entry name ${JSON.stringify(normalizeEntryPath(header.name).path)} was absolute or contained ".."; shown relative to the bundle` });
      }
      const type = header.type ?? "file";
      if (type === "file" || type === "contiguous-file") {
        yield* expand(entry.body, dirPart(fullPath), basePart(fullPath), header.mtime, header.size, depth, ctx);
      } else if (type === "symlink" || type === "link") {
        ctx.warnings.add({ code: "skipped-link", path: fullPath, message: `${type} to ${JSON.stringify(normalizeEntryPath(header.linkname ?? "").path)} not followed` });
      } else if (type !== "directory") {
        ctx.warnings.add({ code: "skipped-special", path: fullPath, message: `${type} entry skipped` });
      }
      // Whatever the consumer did not read must be read before the next header.
      for await (const _rest of entry.body) {
        // discard
      }
    }
  } catch (err) {
    if (err instanceof ReadLimitReached || err instanceof BundleAnalyzeError) throw err;
    const message = errorMessage(err);
    const truncated = /unexpected end|premature|truncat/i.test(message);
    ctx.warnings.add({
      code: truncated ? "truncated-archive" : "corrupt-archive",
      path: prefix || "(bundle)",
      message: `tar archive ${truncated ? "ends early" : "is damaged"} after ${entries} entries (${message}); the entries before it were analysed`,
    });
  }
}

async function* walkDirectory(root: string, relative: string, ctx: ExpandContext): AsyncGenerator<BundleEntry> {
  const dirPath = relative ? join(root, relative) : root;
  const names: string[] = [];
  try {
    for await (const dirent of await opendir(dirPath)) names.push(dirent.name);
  } catch (err) {
    ctx.warnings.add({ code: "unreadable-file", path: relative || ".", message: `folder could not be listed: ${errorMessage(err)}` });
    return;
  }
  // Sorted so that the same folder always gives the same report.
  names.sort();
  for (const name of names) {
    const rel = relative ? `${relative}/${name}` : name;
    const display = normalizeEntryPath(rel).path;
    ctx.budget.countEntry();
    let info;
    try {
      info = await lstat(join(root, rel));
    } catch (err) {
      ctx.warnings.add({ code: "unreadable-file", path: display, message: errorMessage(err) });
      continue;
    }
    if (info.isSymbolicLink()) {
      ctx.warnings.add({ code: "skipped-link", path: display, message: "symbolic link not followed" });
    } else if (info.isDirectory()) {
      yield* walkDirectory(root, rel, ctx);
    } else if (info.isFile()) {
      const stream = createReadStream(join(root, rel), { highWaterMark: readChunkBytes });
      try {
        yield* expand(stream as AsyncIterable<Buffer>, dirPart(display), basePart(display), info.mtime, info.size, 0, ctx);
      } catch (err) {
        if (err instanceof ReadLimitReached || err instanceof BundleAnalyzeError) throw err;
        ctx.warnings.add({ code: "unreadable-file", path: display, message: errorMessage(err) });
      } finally {
        stream.destroy();
      }
    } else {
      ctx.warnings.add({ code: "skipped-special", path: display, message: "device, socket or FIFO skipped" });
    }
  }
}

function dirPart(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "" : path.slice(0, i);
}

function basePart(path: string): string {
  return baseName(path);
}

function stripCompressionSuffix(name: string): string {
  const stripped = name.replace(/\.(gz|tgz|xz|txz|bz2|zst)$/i, "");
  if (/\.(tgz|txz)$/i.test(name)) return `${stripped}.tar`;
  return stripped === name ? name : stripped;
}

