/**
 * @fs-access/data — the real data behind fs-access: the source manifest
 * (data/manifest.json: names, public urls, licences, sizes, sha256), the fetch/mirror
 * logic that fills data/cache, and streaming loaders that turn the published files into
 * struct-of-arrays (see types.ts).
 *
 * Units and invariants:
 * - Coordinates are WGS84 degrees (lon, lat); grid cells also carry their EPSG:3035
 *   south-west corner in metres (x3035, y3035; 200 m cells).
 * - Household and inhabitant counts are floats (Filosofi imputes fractional values);
 *   `poor` is NaN where the source lacks it (commune level).
 * - Every record a loader cannot use is in `rejected` with file, 1-based line (header =
 *   line 1; feature number for GeoJSON) and a machine-readable reason — never dropped
 *   silently. Whole-file problems throw typed errors (CsvSchemaError, EncodingError,
 *   EmptyInputError, …) whose message names the file and line.
 * - Node only (files, streams, HTTP); the browser app imports the types only.
 *
 * @example
 *   import { dataPath, loadSites, loadGridTiles, loadOutlines, assignCommunes, COMMUNE_MERGES_2019 } from '@fs-access/data';
 *   const sites = await loadSites(dataPath('france-services/liste-fs-20240801.csv'), { departements: ['87'] });
 *   const cells = await loadGridTiles(dataPath('filosofi/men/2019/200m'));
 *   assignCommunes(cells, loadOutlines(dataPath('communes/communes-87-haute-vienne.geojson')), { remap: COMMUNE_MERGES_2019 });
 */
export type { Rejection, Sites, Households, Candidates, SourceEntry } from './types.ts';
export {
  CsvSchemaError,
  CsvFormatError,
  EncodingError,
  EmptyInputError,
  JsonInputError,
  ChecksumError,
  DownloadError,
  ManifestError,
  DataNotFoundError,
  UnusableInputError,
} from './errors.ts';
export { repoRoot, defaultCacheDir, manifestPath, resolveMirror, dataPath, findDataPath } from './paths.ts';
export { loadManifest, validateManifest, expandNames, sha256File, type Manifest } from './manifest.ts';
export {
  fetchSources,
  fetchSource,
  resolveSource,
  sourceUrl,
  cacheStatus,
  isValidCopy,
  type FetchOptions,
  type FetchResult,
  type CacheStatus,
} from './fetch.ts';
export { readCsv, sniffDelimiter, parseNumber, type CsvReadOptions, type CsvHandler, type TextEncoding } from './csv.ts';
export { METRO_BOX, OVERSEAS_BOXES, inBox, regionOf, regionOfDepartement, checkLonLat, type BBox, type PointCheck } from './geo.ts';
export { loadSites, filterSites, sitesWithin, normaliseFormat, SITE_REQUIRED_COLUMNS, type LoadSitesOptions } from './sites.ts';
export {
  loadGridTiles,
  loadInseeGrid,
  listTiles,
  laeaToLonLat,
  lonLatToLaea,
  cellId,
  parseCellId,
  EPSG3035,
  GISCO_ORIGIN_X,
  GISCO_ORIGIN_Y,
  GISCO_TILE_CELLS,
  CELL_SIZE,
  type GridLoadOptions,
  type Tile,
} from './grid.ts';
export { loadCommuneHouseholds, COMMUNE_REQUIRED_COLUMNS, type LoadCommunesOptions } from './communes.ts';
export {
  loadOutlines,
  assignCommunes,
  outlineAt,
  outlineBBox,
  insideOutline,
  COMMUNE_MERGES_2019,
  type Outlines,
  type LoadOutlinesOptions,
  type AssignResult,
} from './outlines.ts';
export { loadCandidates, loadAnnuaire, loadCandidatesCsv, loadCandidatesGeoJson } from './candidates.ts';
