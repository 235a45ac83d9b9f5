/** One line of a file. `omittedBytes` > 0 when the line was longer than the limit. */
export interface Line {
  number: number;
  text: string;
  omittedBytes: number;
}

const newline = 0x0a;

/**
 * Splits a byte stream into lines without ever holding more than `maxLineBytes` of one
 * line: a 3 GB line costs 64 KiB of memory, and the rest of it is only counted.
 */
export async function* splitLines(source: AsyncIterable<Buffer>, maxLineBytes: number): AsyncGenerator<Line> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let omitted = 0;
  let number = 0;

  const finish = (tail: Buffer): Line => {
    number++;
    let bytes: Buffer;
    if (pending.length === 0) bytes = tail;
    else {
      pending.push(tail);
      bytes = Buffer.concat(pending, pendingBytes + tail.length);
    }
    if (bytes.length > maxLineBytes) {
      omitted += bytes.length - maxLineBytes;
      bytes = bytes.subarray(0, maxLineBytes);
    }
    let end = bytes.length;
    if (end > 0 && bytes[end - 1] === 0x0d) end--;
    const line: Line = { number, text: bytes.toString("utf8", 0, end), omittedBytes: omitted };
    pending = [];
    pendingBytes = 0;
    omitted = 0;
    return line;
  };

  for await (const chunk of source) {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(newline, start);
      if (nl < 0) break;
      yield finish(chunk.subarray(start, nl));
      start = nl + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      const room = maxLineBytes + 1 - pendingBytes;
      if (room > 0) {
        const kept = rest.length > room ? rest.subarray(0, room) : rest;
        // Copy: the chunk may be a view into a pooled buffer that is reused.
        pending.push(Buffer.from(kept));
        pendingBytes += kept.length;
        omitted += rest.length - kept.length;
      } else {
        omitted += rest.length;
      }
    }
  }
  if (pendingBytes > 0 || omitted > 0) yield finish(Buffer.alloc(0));
}
