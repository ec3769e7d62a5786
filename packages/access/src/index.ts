/**
 * @fs-access/access — travel time from household units to their nearest France services
 * site, coverage within thresholds, gap areas, and the coverage report.
 *
 * Units: times in seconds (Float64); distances in metres; coordinates WGS84 [lon, lat]
 * degrees; grid cells by their EPSG:3035 south-west corner (m); household, inhabitant and
 * poor-household counts are floats (NaN = unknown, poor households at commune level).
 * The road graph's arc costs are deciseconds.
 *
 * Invariants: for every threshold each unit is in exactly one of covered / beyond /
 * unreachable, rejected records form the fourth category, and the four add up to what the
 * loader read; coverage never decreases when the threshold grows or a site is added.
 *
 * Browser-safe: no module here reads files (loaders live in @fs-access/data).
 *
 * @example
 * const model = new CrowFlyModel();                 // calibrated defaults
 * const times = model.forUnits(households);         // index the units once
 * const nearest = times.nearest(sites);             // time + site per unit
 * const cov = computeCoverage(households, nearest, { thresholdsS: [1200, 1800] });
 * cov.byThreshold[0].shareCovered;                  // share of households within 20 min
 */
export { REACHED, NO_ROUTE, NOT_SNAPPED, BEYOND_LIMIT, type UnitStatus, type NearestSites, type Reach, type NearestOptions, type UnitTimes, type TravelTimeModel } from './model.ts';
export { CrowFlyModel, CROWFLY_DEFAULTS, CROWFLY_CALIBRATION, type CrowFlyParameters } from './crowfly.ts';
export { RoadModel, ROAD_DEFAULTS, carNetwork, type RoadNetwork, type RoadModelOptions, type Snap } from './road.ts';
export {
  computeCoverage,
  categoryOf,
  rejectedTally,
  emptyTally,
  COVERED,
  BEYOND,
  UNREACHABLE,
  REJECTED,
  CATEGORIES,
  type CategoryName,
  type Coverage,
  type CoverageOptions,
  type CommuneCoverage,
  type HouseholdUnits,
  type SiteLoad,
  type Tally,
  type ThresholdCoverage,
  type TimeBand,
  type TimeDistribution,
} from './coverage.ts';
export { findGaps, gapCoordinates, type Gap, type GapOptions, type GridUnits } from './gaps.ts';
export { cellsToPolygons, type CellPolygon } from './outline.ts';
export { greatCircleM, bboxOf, distanceToBboxM, fromEpsg3035, toEpsg3035, EARTH_RADIUS_M, EPSG3035, type Points } from './geo.ts';
export {
  buildReport,
  departementRows,
  departementOfCommune,
  pointsWithinReach,
  subsetSites,
  subsetUnits,
  subsetNearest,
  type AreaReport,
  type DepartementRow,
  type ReportInput,
  type ReportSource,
  type UncoveredCommune,
} from './report.ts';
export { summaryJson, communesCsv, householdsGeoJson, householdsCsv, gapsGeoJson, sitesGeoJson, statusName, round, csvNumber, csvField } from './format.ts';
export { reportMarkdown, worstCommunes, frInt, frDec, frPct } from './markdown.ts';
export {
  communeCandidates,
  gapCandidates,
  subsetCandidates,
  selectCandidatesInArea,
  insideGeometry,
  distanceToGeometryM,
  type AreaGeometry,
  type AreaSelection,
} from './candidates.ts';
export {
  SitingPlanner,
  SubsetReach,
  PlanningInputError,
  OBJECTIVES,
  candidateCover,
  recommendSites,
  selectSitesForPlanning,
  coveredFlags,
  uncoveredUnits,
  objectiveWeights,
  figuresOf,
  modelFromSpec,
  modelSpecOf,
  createPlanningWorkerApi,
  createPlanningPool,
  type Objective,
  type PlanningUnits,
  type PlanningSites,
  type PlanningCandidates,
  type PlannerInput,
  type Figures,
  type CoverageState,
  type AreaTotals,
  type SitePick,
  type Recommendation,
  type ExactComparison,
  type MinimumSites,
  type WhatIf,
  type ClosureLoss,
  type ModelSpec,
  type PackedCover,
  type CandidateCoverInput,
  type PlanningWorkerInit,
  type PlanningWorkerApi,
} from './planning.ts';
export {
  picksDocument,
  picksJson,
  picksCsv,
  picksGeoJson,
  closureDocument,
  closureJson,
  closureCsv,
  closureGeoJson,
  type PicksDocumentInput,
  type ClosureDocumentInput,
  type ExactOutcome,
  type PlanningInputsInfo,
} from './planning-format.ts';
