/**
 * Typed errors of the OSM reader and the router. Each names the file and where in it
 * (blob index and byte offset for PBF, line for XML) so a bad file can be found.
 */

/** A file that is not valid OSM PBF / OSM XML, or uses a feature this reader does not support. */
export class OsmFormatError extends Error {
  override name = 'OsmFormatError';
  constructor(
    /** File name (or the `name` option given for in-memory input). */
    readonly file: string,
    /** Where: `blob 3 at byte 12345` for PBF, `line 17` for XML. */
    readonly where: string,
    readonly detail: string,
  ) {
    super(`${file}: ${where}: ${detail}`);
  }

  /** Error located at a PBF file block. */
  static atBlob(file: string, blobIndex: number, offset: number, detail: string): OsmFormatError {
    return new OsmFormatError(file, `blob ${blobIndex} at byte ${offset}`, detail);
  }
}

/** A route that cannot be computed: a point too far from any road of the graph. */
export class RouteError extends Error {
  override name = 'RouteError';
}
