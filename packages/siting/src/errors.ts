/**
 * Typed errors of @fs-access/siting. Each has a distinct `name` so the CLI prints
 * `name: message` without a stack trace.
 */

/** Arrays of the wrong length, negative or non-finite weights, a bad k or share. */
export class SitingInputError extends Error {
  override name = 'SitingInputError';
}

/** An exact solve asked for on an instance larger than the stated bound. */
export class InstanceTooLargeError extends Error {
  override name = 'InstanceTooLargeError';
  constructor(
    message: string,
    /** The size that was asked for (subsets to enumerate, or columns of the ILP). */
    readonly size: number,
    /** The bound it exceeds. */
    readonly limit: number,
  ) {
    super(message);
  }
}

/** The ILP solver stopped without proving optimality (time limit, solver failure). */
export class ExactSolverError extends Error {
  override name = 'ExactSolverError';
}

/**
 * A cost or demand CSV that cannot be used: missing column, negative or non-numeric
 * cost, duplicate demand id, a demand id of the cost file absent from the demand file.
 * The message names the file and, when it applies, the 1-based line (header = line 1).
 */
export class CostFileError extends Error {
  override name = 'CostFileError';
  constructor(
    message: string,
    readonly file: string,
    readonly line = 0,
  ) {
    super(message);
  }
}
