const monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * The time of one synthetic log file: moves forward a little with every line and formats
 * itself the ways the log formats write it (journald, klog, ISO/CRI, k0s).
 */
export class LogClock {
  /** Milliseconds since the epoch, plus microseconds below them. */
  private ms: number;
  private micros = 0;

  constructor(startMs: number) {
    this.ms = startMs;
  }

  advance(maxMs: number, micros: number): void {
    this.ms += maxMs;
    this.micros = micros % 1000;
  }

  private parts(): { d: Date; frac6: string } {
    const d = new Date(this.ms);
    const frac6 = String(d.getUTCMilliseconds() * 1000 + this.micros).padStart(6, "0");
    return { d, frac6 };
  }

  /** "Jun 11 08:16:06" (journald short). */
  syslog(): string {
    const d = new Date(this.ms);
    return `${monthNames[d.getUTCMonth()]} ${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  }

  /** "0611 08:16:06.123456" (klog, after the level letter). */
  klog(): string {
    const { d, frac6 } = this.parts();
    return `${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.${frac6}`;
  }

  /** "2025-06-11T08:16:06.123456789Z" (CRI, containerd). */
  isoNanos(): string {
    const { d, frac6 } = this.parts();
    return `${d.toISOString().slice(0, 19)}.${frac6}${String(this.micros % 1000).padStart(3, "0")}Z`;
  }

  /** "2025-06-11T08:16:06.123Z" (etcd, JSON logs). */
  isoMillis(): string {
    return new Date(this.ms).toISOString();
  }

  /** "2025-06-11 08:16:06" (k0s re-logging its components). */
  plain(): string {
    return new Date(this.ms).toISOString().slice(0, 19).replace("T", " ");
  }

  /** Seconds since the epoch with a fraction (zap's numeric "ts"). */
  epochSeconds(): string {
    return (this.ms / 1000).toFixed(6);
  }
}
