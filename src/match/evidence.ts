/** One line of proof: where it is and what it says. */
export interface Evidence {
  file: string;
  line?: number;
  text: string;
  timestamp?: string;
  /** Node the line itself names (journald host field, event source). */
  host?: string;
}
