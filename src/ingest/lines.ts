/** One line of a file. `omittedBytes` > 0 when the line was longer than the limit. */
export interface Line {
  number: number;
  text: string;
  omittedBytes: number;
}

const newline = 0x0a;
const carriageReturn = 0x0d;

/**
 * The analysed text of the line bytes[start, end) (newline excluded): its first
 * `maxLineBytes` bytes, without one trailing "\r". Every line reader shares this rule.
 */
export function lineText(bytes: Buffer, start: number, end: number, maxLineBytes: number): string {
  let stop = Math.min(end, start + maxLineBytes);
  if (stop > start && bytes[stop - 1] === carriageReturn) stop--;
  return bytes.toString("utf8", start, stop);
}

/** True when `lineText` of the same arguments is the empty string. */
export function lineIsEmpty(bytes: Buffer, start: number, end: number, maxLineBytes: number): boolean {
  const stop = Math.min(end, start + maxLineBytes);
  return stop === start || (stop === start + 1 && bytes[start] === carriageReturn);
}

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
    if (bytes.length > maxLineBytes) omitted += bytes.length - maxLineBytes;
    const line: Line = { number, text: lineText(bytes, 0, bytes.length, maxLineBytes), omittedBytes: omitted };
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

/**
 * Whole lines of a stream, a block at a time: bytes[start, end) holds complete lines,
 * each ended by "\n" (the stream's unterminated last line gets one appended). Blocks are
 * views of the stream's own chunks; only a line cut by a chunk boundary is copied, into a
 * block of its own, keeping at most `maxLineBytes` + 1 of its bytes (`droppedBytes` counts
 * the rest, so the line's length is still known).
 */
export interface LineBlock {
  bytes: Buffer;
  start: number;
  end: number;
  /** Bytes of the block's single line that were not kept (only for stitched lines). */
  droppedBytes: number;
}

export async function* lineBlocks(source: AsyncIterable<Buffer>, maxLineBytes: number): AsyncGenerator<LineBlock> {
  const cap = maxLineBytes + 1;
  // The unfinished line carried from one chunk to the next.
  let carry: Buffer[] = [];
  let carried = 0;
  let dropped = 0;
  const keep = (bytes: Buffer): void => {
    const room = cap - carried;
    const kept = bytes.length > room ? bytes.subarray(0, Math.max(0, room)) : bytes;
    if (kept.length) {
      // Copy: the chunk may be a view into a pooled buffer that is reused.
      carry.push(Buffer.from(kept));
      carried += kept.length;
    }
    dropped += bytes.length - kept.length;
  };
  const stitched = (): LineBlock => {
    carry.push(Buffer.from([newline]));
    const bytes = Buffer.concat(carry, carried + 1);
    const block: LineBlock = { bytes, start: 0, end: bytes.length, droppedBytes: dropped };
    carry = [];
    carried = 0;
    dropped = 0;
    return block;
  };

  for await (const chunk of source) {
    let start = 0;
    if (carried > 0 || dropped > 0) {
      const nl = chunk.indexOf(newline);
      if (nl < 0) {
        keep(chunk);
        continue;
      }
      keep(chunk.subarray(0, nl));
      yield stitched();
      start = nl + 1;
    }
    const last = chunk.lastIndexOf(newline);
    if (last >= start) {
      yield { bytes: chunk, start, end: last + 1, droppedBytes: 0 };
      start = last + 1;
    }
    if (start < chunk.length) keep(chunk.subarray(start));
  }
  if (carried > 0 || dropped > 0) yield stitched();
}
