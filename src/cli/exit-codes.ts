/** The exit codes every command shares; documented in README.md and docs/batch.md. */
export const exitCodes = { ok: 0, findings: 1, error: 2, interrupted: 130 } as const;
