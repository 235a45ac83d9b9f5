import * as yauzl from "yauzl";
import { errorMessage } from "../errors.js";
import type { WarningLog } from "./warnings.js";

/** One member of a zip archive, streamed (inflated) on demand. */
export interface ZipMember {
  name: string;
  compressedSize: number;
  declaredSize: number;
  mtime: Date | undefined;
  isDirectory: boolean;
  isLink: boolean;
  open: () => Promise<AsyncIterable<Buffer>>;
}

/** A zip's central directory lives at its end: a zip is read from a file or a bounded buffer. */
export type ZipSource = { path: string } | { buffer: Buffer };

const symlinkMode = 0o120000;

/**
 * Lists and streams a zip's members in central-directory order. Sizes are validated by
 * yauzl (a member that inflates beyond its declared size is an error, not a bomb).
 */
export async function* readZip(source: ZipSource, displayName: string, warnings: WarningLog): AsyncGenerator<ZipMember> {
  let zip: yauzl.ZipFile;
  try {
    // decodeStrings off: yauzl would reject "../x" names and end the whole zip; we decode the
    // name ourselves and normalizeEntryPath flags and neutralises it, as for tar entries.
    const options: yauzl.Options = { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true };
    zip = "path" in source ? await yauzl.openPromise(source.path, options) : await yauzl.fromBufferPromise(source.buffer, options);
  } catch (err) {
    warnings.add({ code: "corrupt-archive", path: displayName, message: `zip archive could not be opened: ${errorMessage(err)}` });
    return;
  }
  try {
    for await (const entry of zip.eachEntry()) {
      const mode = (entry.externalFileAttributes >>> 16) & 0o170000;
      const rawName = entry.fileName as unknown as Buffer | string;
      const name = typeof rawName === "string" ? rawName : rawName.toString(entry.generalPurposeBitFlag & 0x800 ? "utf8" : "latin1");
      const member: ZipMember = {
        name,
        compressedSize: entry.compressedSize,
        declaredSize: entry.uncompressedSize,
        mtime: safeDate(entry),
        isDirectory: name.endsWith("/"),
        isLink: mode === symlinkMode,
        open: async () => {
          if (entry.isEncrypted()) throw new Error("member is encrypted");
          return (await zip.openReadStreamPromise(entry)) as AsyncIterable<Buffer>;
        },
      };
      yield member;
    }
  } catch (err) {
    warnings.add({ code: "corrupt-archive", path: displayName, message: `zip archive is damaged (${errorMessage(err)}); the members before it were analysed` });
  } finally {
    zip.close();
  }
}

function safeDate(entry: yauzl.Entry): Date | undefined {
  try {
    const d = entry.getLastModDate();
    return Number.isNaN(d.getTime()) ? undefined : d;
  } catch {
    return undefined;
  }
}
