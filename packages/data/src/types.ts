/**
 * The shapes the loaders produce. Struct-of-arrays: one typed array (or string array)
 * per field, index i = record i. Coordinates are WGS84 degrees.
 *
 * CONTRACT shared with @fs-access/access: change only together with it.
 */

/** A record a loader could not use, with where it came from and why. */
export interface Rejection {
  /** File the record came from. */
  file: string;
  /** 1-based line in that file (the header is line 1), or record number for non-line formats. */
  line: number;
  /** The record's id when one could be read. */
  id?: string;
  /** Short machine-readable reason, e.g. 'bad-coordinates', 'swapped-lat-lon', 'duplicate-id'. */
  reason: string;
  /** Human-readable detail. */
  detail: string;
}

/** France services sites (ANCT list). */
export interface Sites {
  count: number;
  id: string[];
  name: string[];
  /** INSEE commune code (5 characters, e.g. '87085', '2A004'). */
  commune: string[];
  communeName: string[];
  /** Département code ('87', '2A', '971'). */
  departement: string[];
  address: string[];
  /** 'Principal' | 'Antenne'. */
  type: string[];
  /** 'Fixe' | 'Fixe avec antenne(s)' | 'Multisite' | 'Bus' | 'Itinérant'. */
  format: string[];
  /** Opening hours per day Monday..Saturday, as published ('' if closed / unknown). */
  hours: string[][];
  lon: Float64Array;
  lat: Float64Array;
  rejected: Rejection[];
}

/**
 * Household units: 200 m grid cells (Filosofi) or communes (centroid). Counts are
 * floats (the grid imputes fractional households); round only for display.
 */
export interface Households {
  kind: 'grid' | 'communes';
  count: number;
  /**
   * Cell id `CRS3035RES200mN{Y}E{X}` or the INSEE commune code. Grid loaders build it on
   * first access from x3035/y3035 (an ordinary array from then on; assignable).
   */
  id: string[];
  /** Centre of the cell / commune centroid, WGS84 degrees. */
  lon: Float64Array;
  lat: Float64Array;
  /** Tax households (men / menages_2021). */
  households: Float64Array;
  /** Inhabitants (ind / population_2021). */
  inhabitants: Float64Array;
  /** Poor households (men_pauv); NaN where the source does not have it (commune level). */
  poor: Float64Array;
  /** INSEE commune code per unit ('' until assigned by outlines for the grid). */
  commune: string[];
  /** For grid cells: EPSG:3035 south-west corner (metres); empty arrays at commune level. */
  x3035: Float64Array;
  y3035: Float64Array;
  rejected: Rejection[];
}

/** Candidate places for a new site. */
export interface Candidates {
  count: number;
  id: string[];
  name: string[];
  /** Kind of place: 'mairie', 'gendarmerie', 'commune-centroid', 'gap-centroid', 'user', … */
  kind: string[];
  commune: string[];
  lon: Float64Array;
  lat: Float64Array;
  rejected: Rejection[];
}

/** One entry of data/manifest.json. */
export interface SourceEntry {
  /** Short name used on the command line, e.g. 'france-services', 'filosofi-87'. */
  name: string;
  /** Path inside a mirror directory and inside data/cache (same layout as ../shared/data). */
  path: string;
  /** Public download address. */
  url: string;
  licence: string;
  /** Bytes. */
  size: number;
  sha256: string;
  /** 'csv' | 'geojson' | 'sjson' | 'osm.pbf' | 'dimacs-gr.gz' | 'dimacs-co.gz' | … */
  format: string;
  /** Publication or commit date of the source. */
  date: string;
  description: string;
  /**
   * Set when the file is not byte-identical to what `url` serves (e.g. an OSM XML extract
   * converted to PBF): says how it was made. Such a source can only be copied from a mirror.
   */
  conversion?: string;
}
