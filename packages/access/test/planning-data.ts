/** The real Haute-Vienne (87) inputs of the planning tests, loaded once per test file. */
import {
  COMMUNE_MERGES_2019,
  assignCommunes,
  findDataPath,
  insideOutline,
  loadCandidates,
  loadCommuneHouseholds,
  loadGridTiles,
  loadOutlines,
  loadSites,
  outlineBBox,
  type Candidates,
  type Households,
  type Sites,
} from '@fs-access/data';
import { selectCandidatesInArea, selectSitesForPlanning, subsetSites, type AreaGeometry } from '../src/index.ts';

export const files = {
  communes: findDataPath('communes/communes-2024.csv'),
  sites: findDataPath('france-services/liste-fs-20240801.csv'),
  departements: findDataPath('admin/departements.geojson'),
  annuaire: findDataPath('candidates/annuaire-87.sjson'),
  grid: findDataPath('filosofi/men/2019/200m'),
  outlines: findDataPath('communes/communes-87-haute-vienne.geojson'),
};
export const haveData = Object.values(files).every(Boolean);

export interface Data87 {
  communes: Households & { name: string[] };
  grid: Households;
  allSites: Sites;
  geometry: AreaGeometry;
  /** The annuaire's candidates inside 87 (+5 km). */
  candidates: Candidates;
  /** Sites considered for a unit set at T (as the commands pick them). */
  sitesFor(units: Households, thresholdS: number): Sites;
}

let cached: Promise<Data87> | null = null;

export function load87(): Promise<Data87> {
  cached ??= (async () => {
    const communes = await loadCommuneHouseholds(files.communes!, { departement: '87' });
    const deps = loadOutlines(files.departements!);
    const grid = await loadGridTiles(files.grid!, undefined, { bbox: outlineBBox(deps, '87'), keep: insideOutline(deps, '87') });
    assignCommunes(grid, loadOutlines(files.outlines!), { remap: COMMUNE_MERGES_2019 });
    const allSites = await loadSites(files.sites!);
    const geometry = deps.geometry[deps.code.indexOf('87')] as AreaGeometry;
    const candidates = selectCandidatesInArea(await loadCandidates(files.annuaire!), { geometry, code: '87' }).candidates;
    return {
      communes,
      grid,
      allSites,
      geometry,
      candidates,
      sitesFor: (units, thresholdS) => subsetSites(allSites, selectSitesForPlanning(allSites, units, thresholdS)),
    };
  })();
  return cached;
}
