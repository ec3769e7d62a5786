/**
 * Typed errors of @fs-access/data. Every message names the file (or url) and, where it
 * applies, the 1-based line, so the CLI can print it as is without a stack trace.
 */

/** A CSV whose header lacks a required column, or is not in the expected shape (e.g. `;`-separated). */
export class CsvSchemaError extends Error {
  override name = 'CsvSchemaError';
  constructor(
    message: string,
    readonly file: string,
    readonly line = 1,
    readonly missing: string[] = [],
  ) {
    super(message);
  }
}

/** A CSV the parser cannot read (unclosed quote, stray quote…). */
export class CsvFormatError extends Error {
  override name = 'CsvFormatError';
  constructor(
    message: string,
    readonly file: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/** Bytes that are not valid UTF-8 (typically a Latin-1 / Windows-1252 export). */
export class EncodingError extends Error {
  override name = 'EncodingError';
  constructor(
    message: string,
    readonly file: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/** An input with no record at all (empty file, or a header and nothing else). */
export class EmptyInputError extends Error {
  override name = 'EmptyInputError';
  constructor(
    message: string,
    readonly file: string,
  ) {
    super(message);
  }
}

/** A JSON / GeoJSON / line-delimited JSON input that cannot be parsed or has the wrong shape. */
export class JsonInputError extends Error {
  override name = 'JsonInputError';
  constructor(
    message: string,
    readonly file: string,
    readonly line = 0,
  ) {
    super(message);
  }
}

/** A fetched or copied file whose sha256 differs from the manifest's. Nothing is left in the cache. */
export class ChecksumError extends Error {
  override name = 'ChecksumError';
  constructor(
    message: string,
    readonly source: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(message);
  }
}

/** A download that failed for good (HTTP status, or network errors after every retry). */
export class DownloadError extends Error {
  override name = 'DownloadError';
  constructor(
    message: string,
    readonly url: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** A source or group name not in the manifest, or a manifest that does not validate. */
export class ManifestError extends Error {
  override name = 'ManifestError';
}

/** A data file that is neither in the cache nor in a mirror. */
export class DataNotFoundError extends Error {
  override name = 'DataNotFoundError';
  constructor(
    message: string,
    readonly relPath: string,
  ) {
    super(message);
  }
}

/**
 * A file read without a format error whose records are nonetheless unusable as a whole:
 * every record rejected, or most of them with swapped or projected coordinates — a column
 * problem (exchanged latitude/longitude columns, Lambert-93 metres), not a few bad rows.
 * Loading on with the few rows left would draw a wrong map, so the load stops here.
 */
export class UnusableInputError extends Error {
  override name = 'UnusableInputError';
  constructor(
    message: string,
    readonly file: string,
    /** 1-based line of the first rejected record. */
    readonly line: number,
    /** Rejected records per reason. */
    readonly reasons: Record<string, number>,
  ) {
    super(message);
  }
}
