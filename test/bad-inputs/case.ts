import type { CaseDir } from './harness.ts';

/** One entry of the bad-input catalogue (docs/bad-inputs.md is rendered from these). */
export interface Case {
  /** Stable id, e.g. `sites-semicolon`. */
  id: string;
  /** The reader (library function) or the command that gets the input. */
  target: string;
  /** What is wrong with the input. */
  input: string;
  /**
   * - error: a typed error (class + exact message) — whole-file problems;
   * - rejection: the record is rejected (reason + line + detail), the rest is used — row problems;
   * - accepted: tolerated and read correctly (a BOM, repeated postal codes…), checked by value;
   * - exit: a command fails with exit code 1 (bad data) or 2 (bad command line) and the message.
   */
  outcome: 'error' | 'rejection' | 'accepted' | 'exit';
  /** The expected result in words (error class and message, or reason), for the docs. */
  expected: string;
  /** Needs the real data mirror (../shared/data): skipped without it. */
  needsData?: boolean;
  /** Builds the input in `t`, runs the reader or command, asserts the outcome. */
  run(t: CaseDir): Promise<void>;
}
