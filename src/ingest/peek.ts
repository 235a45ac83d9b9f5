/** A stream whose first bytes have been looked at, readable again from byte 0. */
export interface PeekedStream {
  head: Buffer;
  /** The whole stream from byte 0. Breaking out of it does not close the source. */
  body: AsyncIterable<Buffer>;
  /** Reads whatever the consumer of `body` left unread, so the container can move on. */
  drainRest: () => Promise<void>;
}

/** Reads at least `count` bytes (or all there is) and gives back a stream that still starts at byte 0. */
export async function peek(source: AsyncIterable<Buffer>, count: number): Promise<PeekedStream> {
  const iterator = source[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let length = 0;
  let done = false;
  while (length < count) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    chunks.push(next.value);
    length += next.value.length;
  }
  // One chunk is the usual case (tar entries come in chunks of hundreds of KiB): no copy.
  const whole = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, length);
  let headPending = whole.length > 0;

  const pull = async (): Promise<IteratorResult<Buffer>> => {
    if (headPending) {
      headPending = false;
      return { value: whole, done: false };
    }
    if (done) return { value: undefined, done: true };
    const next = await iterator.next();
    if (next.done) done = true;
    return next;
  };

  const body: AsyncIterable<Buffer> = {
    [Symbol.asyncIterator]: () => ({
      next: pull,
      return: async () => ({ value: undefined, done: true }),
    }),
  };
  const drainRest = async (): Promise<void> => {
    headPending = false;
    while (!(await pull()).done) {
      // discard
    }
  };
  return { head: whole.subarray(0, Math.min(count, whole.length)), body, drainRest };
}

/** Reads a stream to its end and throws the bytes away. */
export async function drain(source: AsyncIterable<Buffer>): Promise<void> {
  for await (const _chunk of source) {
    // discard
  }
}
