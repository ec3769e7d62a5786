/**
 * Regenerates or checks data/manifest.json from a mirror directory laid out like
 * ../shared/data: sizes and sha256 are computed from the files, and must equal the
 * mirror's MANIFEST.sha256 when it has one. The descriptive fields (url, licence, …) are
 * the table below, taken from the mirror's SOURCES.md.
 *
 *   pnpm tsx packages/data/scripts/make-manifest.ts [--mirror DIR] [--check]
 *
 * --check compares instead of writing, and exits 1 on any difference.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadManifest, sha256File, validateManifest, type Manifest } from '../src/manifest.ts';
import { manifestPath, resolveMirror } from '../src/paths.ts';
import type { SourceEntry } from '../src/types.ts';

const GH = 'https://raw.githubusercontent.com/';
const ANCT = `${GH}anct-carto/france_services/77f42baab04eae687d5eef1acdc79ee395f9562b/data/`;
const FRGEO = `${GH}gregoiredavid/france-geojson/5d34ee6d0140c29f785fdb047d9329f1aab58833/departements/`;
const ANNUAIRE = `${GH}cquest/annuaire-services-publics/f7713da88c44fbb9570d782868d6cab979451f06/data/`;
const GISCO = `${GH}jgaffuri/tiled-grid-france-filosofi/4a32fe2f80d71d320f6b86c07f4c0539319c596c/out/csv/met/men/2019/200m/`;
const GHOPPER = `${GH}graphhopper/graphhopper/c058139f1043193c4b187c00955fcafa2a2f0d0b/core/files/`;
const DIMACS = `${GH}anhphamkstn/map/a85bebdb8532c8fc5f891813223e6e7663cf3d70/data/`;
const SPOPT = `${GH}pysal/spopt/493a58aa99134b6abecf8d37479fbee01a46e820/spopt/tests/test_locate/data/`;
const LO = 'Licence Ouverte 2.0 (etalab-2.0)';
const ODBL = 'ODbL 1.0 (© OpenStreetMap contributors)';

type Meta = Omit<SourceEntry, 'size' | 'sha256'>;

const meta: Meta[] = [
  {
    name: 'france-services',
    path: 'france-services/liste-fs-20240801.csv',
    url: `${ANCT}liste-fs-20240801.csv`,
    licence: LO,
    format: 'csv',
    date: '2024-08-01',
    description: 'ANCT national list of France services sites on 1 August 2024 (2,845 rows, WGS84 latitude/longitude, opening hours, type and format).',
  },
  {
    name: 'departements',
    path: 'admin/departements.geojson',
    url: `${ANCT}geom_dep.geojson`,
    licence: LO,
    format: 'geojson',
    date: '2024',
    description: 'Outlines of the 101 départements (properties insee_dep, lib_dep), from the ANCT France services repository.',
  },
  {
    name: 'communes',
    path: 'communes/communes-2024.csv',
    url: `${GH}rcarlier/datas.fun/b9874080432e11b943e93aeae75ee372a024697b/France/communes.csv`,
    licence: `${LO} — compiled from INSEE COG 2024 and the comparateur de territoires (2021 census)`,
    format: 'csv',
    date: '2024-08-19',
    description: 'Every commune with centroid, 2021 population and households (menages_2021); one row per commune and postal code (deduplicate by insee_com, keep commune_type COM).',
  },
  {
    name: 'outlines-87',
    path: 'communes/communes-87-haute-vienne.geojson',
    url: `${FRGEO}87-haute-vienne/communes-87-haute-vienne.geojson`,
    licence: `${LO} (IGN Admin Express)`,
    format: 'geojson',
    date: '2018',
    description: 'Commune outlines of Haute-Vienne (87), simplified, 2018 boundaries (200 communes; 195 in 2024 after merges). Properties code, nom.',
  },
  {
    name: 'outlines-40',
    path: 'communes/communes-40-landes.geojson',
    url: `${FRGEO}40-landes/communes-40-landes.geojson`,
    licence: `${LO} (IGN Admin Express)`,
    format: 'geojson',
    date: '2018',
    description: 'Commune outlines of Landes (40), simplified, 2018 boundaries (330 communes; 327 in 2024). Properties code, nom.',
  },
  {
    name: 'annuaire-87',
    path: 'candidates/annuaire-87.sjson',
    url: `${ANNUAIRE}annuaire-87.sjson`,
    licence: LO,
    format: 'sjson',
    date: '2016',
    description: "Annuaire de l'administration (DILA) for Haute-Vienne, geocoded: 449 public offices (200 town halls, gendarmeries, …), candidate places for new sites.",
  },
  {
    name: 'annuaire-40',
    path: 'candidates/annuaire-40.sjson',
    url: `${ANNUAIRE}annuaire-40.sjson`,
    licence: LO,
    format: 'sjson',
    date: '2016',
    description: "Annuaire de l'administration (DILA) for Landes, geocoded: 545 public offices (331 town halls, …).",
  },
];

const tiles: string[] = [];
for (let tx = 15; tx <= 19; tx++) {
  for (let ty = 20; ty <= 24; ty++) {
    const name = `filosofi-200m-${tx}-${ty}`;
    tiles.push(name);
    meta.push({
      name,
      path: `filosofi/men/2019/200m/${tx}/${ty}.csv`,
      url: `${GISCO}${tx}/${ty}.csv`,
      licence: `${LO} (INSEE Filosofi 2019, tiled by Eurostat GISCO)`,
      format: 'csv',
      date: '2019',
      description: `Filosofi 2019 households on the 200 m grid, GISCO tile tx=${tx} ty=${ty} (EPSG:3035, 128 × 128 cells; columns x,y,imputed,ind,men,…,men_pauv).`,
    });
  }
}

meta.push(
  {
    name: 'osm-andorra',
    path: 'osm/andorra.osm.pbf',
    url: `${GHOPPER}andorra.osm.pbf`,
    licence: ODBL,
    format: 'osm.pbf',
    date: '2013',
    description: 'OpenStreetMap extract of Andorra (69,644 nodes, 2,725 ways: mountain roads, one-ways, tunnels), from GraphHopper test files.',
  },
  {
    name: 'osm-monaco',
    path: 'osm/monaco.osm.pbf',
    url: `${GHOPPER}monaco.osm.gz`,
    licence: ODBL,
    format: 'osm.pbf',
    date: '2013',
    description: 'OpenStreetMap extract of Monaco (dense one-way streets), from GraphHopper test files.',
    conversion: 'osmium cat monaco.osm.gz -o monaco.osm.pbf (same content, PBF encoding)',
  },
  {
    name: 'osm-north-bayreuth',
    path: 'osm/north-bayreuth.osm.pbf',
    url: `${GHOPPER}north-bayreuth.osm.gz`,
    licence: ODBL,
    format: 'osm.pbf',
    date: '2013',
    description: 'OpenStreetMap extract north of Bayreuth (rural Germany, 58,631 nodes), from GraphHopper test files.',
    conversion: 'osmium cat north-bayreuth.osm.gz -o north-bayreuth.osm.pbf (same content, PBF encoding)',
  },
  {
    name: 'dimacs-ny-t',
    path: 'graphs/USA-road-t.NY.gr.gz',
    url: `${DIMACS}USA-road-t.NY.gr.gz`,
    licence: 'Public domain (US Census TIGER/Line, 9th DIMACS Implementation Challenge)',
    format: 'dimacs-gr.gz',
    date: '2006',
    description: 'DIMACS New York road graph, travel-time weights (264,346 nodes, 733,846 arcs).',
  },
  {
    name: 'dimacs-ny-d',
    path: 'graphs/USA-road-d.NY.gr.gz',
    url: `${DIMACS}USA-road-d.NY.gr.gz`,
    licence: 'Public domain (US Census TIGER/Line, 9th DIMACS Implementation Challenge)',
    format: 'dimacs-gr.gz',
    date: '2006',
    description: 'DIMACS New York road graph, distance weights (264,346 nodes, 733,846 arcs).',
  },
  {
    name: 'dimacs-ny-co',
    path: 'graphs/USA-road-d.NY.co.gz',
    url: `${DIMACS}USA-road-d.NY.co.gz`,
    licence: 'Public domain (US Census TIGER/Line, 9th DIMACS Implementation Challenge)',
    format: 'dimacs-co.gz',
    date: '2006',
    description: 'Node coordinates of the DIMACS New York graph (millionths of a degree).',
  },
  {
    name: 'dimacs-bay-d',
    path: 'graphs/USA-road-d.BAY.gr.gz',
    url: `${GH}ZikangChenKen/Minimum-Spanning-Tree-of-an-Undirected-Graph/c1c6eca174f0fa0875f2082804fef30f135e414d/src/main/resources/boruvka/USA-road-d.BAY.gr.gz`,
    licence: 'Public domain (US Census TIGER/Line, 9th DIMACS Implementation Challenge)',
    format: 'dimacs-gr.gz',
    date: '2006',
    description: 'DIMACS San Francisco Bay Area road graph, distance weights (321,270 nodes, 800,172 arcs), no coordinates.',
  },
  {
    name: 'spopt-sf-demand',
    path: 'oracles/spopt-sf/SF_demand_205_centroid_uniform_weight.csv',
    url: `${SPOPT}SF_demand_205_centroid_uniform_weight.csv`,
    licence: 'BSD-3-Clause (PySAL spopt)',
    format: 'csv',
    date: 'spopt 493a58aa',
    description: 'spopt San Francisco test set: 205 census tracts with POP2000, HOUSEHOLDS, long, lat (CRLF line endings).',
  },
  {
    name: 'spopt-sf-distances',
    path: 'oracles/spopt-sf/SF_network_distance_candidateStore_16_censusTract_205_new.csv',
    url: `${SPOPT}SF_network_distance_candidateStore_16_censusTract_205_new.csv`,
    licence: 'BSD-3-Clause (PySAL spopt)',
    format: 'csv',
    date: 'spopt 493a58aa',
    description: 'spopt San Francisco test set: network distance from each of 205 tracts to each of 16 candidate stores (long format).',
  },
  {
    name: 'spopt-sf-stores',
    path: 'oracles/spopt-sf/SF_store_site_16_longlat.csv',
    url: `${SPOPT}SF_store_site_16_longlat.csv`,
    licence: 'BSD-3-Clause (PySAL spopt)',
    format: 'csv',
    date: 'spopt 493a58aa',
    description: 'spopt San Francisco test set: the 16 candidate stores with coordinates.',
  },
);

const groups: Record<string, string[]> = {
  'filosofi-87': tiles,
  default: ['france-services', 'departements', 'communes', 'outlines-87', 'annuaire-87', 'filosofi-87'],
  landes: ['france-services', 'departements', 'communes', 'outlines-40', 'annuaire-40'],
  osm: ['osm-andorra', 'osm-monaco', 'osm-north-bayreuth'],
  dimacs: ['dimacs-ny-t', 'dimacs-ny-d', 'dimacs-ny-co', 'dimacs-bay-d'],
  'spopt-sf': ['spopt-sf-demand', 'spopt-sf-distances', 'spopt-sf-stores'],
};

/** path → sha256 from a `sha256sum`-style listing ("HASH  ./path"). */
export function readSha256List(file: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const r = /^([0-9a-f]{64})\s+\*?(?:\.\/)?(.+)$/.exec(line.trim());
    if (r) m.set(r[2], r[1]);
  }
  return m;
}

async function build(mirror: string): Promise<{ manifest: Manifest; problems: string[] }> {
  const problems: string[] = [];
  const listing = path.join(mirror, 'MANIFEST.sha256');
  const published = fs.existsSync(listing) ? readSha256List(listing) : undefined;
  const sources: SourceEntry[] = [];
  for (const m of meta) {
    const file = path.join(mirror, m.path);
    if (!fs.existsSync(file)) {
      problems.push(`${m.path}: not in the mirror ${mirror}`);
      continue;
    }
    const size = fs.statSync(file).size;
    const sha256 = await sha256File(file);
    if (published && published.get(m.path) !== sha256) problems.push(`${m.path}: sha256 ${sha256} differs from MANIFEST.sha256 (${published.get(m.path) ?? 'not listed'})`);
    // Field order of SourceEntry, so the JSON reads the same as the type.
    sources.push({
      name: m.name,
      path: m.path,
      url: m.url,
      licence: m.licence,
      size,
      sha256,
      format: m.format,
      date: m.date,
      description: m.description,
      ...(m.conversion ? { conversion: m.conversion } : {}),
    });
  }
  if (published) {
    const ours = new Set(meta.map((m) => m.path));
    for (const p of published.keys()) if (!ours.has(p)) problems.push(`${p}: in MANIFEST.sha256 but not in the manifest table`);
  }
  const manifest = validateManifest({ version: 1, sources, groups }, 'generated manifest');
  return { manifest, problems };
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { mirror: { type: 'string' }, check: { type: 'boolean' }, out: { type: 'string' } } });
  const mirror = resolveMirror(values.mirror);
  if (!mirror) {
    process.stderr.write('make-manifest: no mirror (give --mirror DIR or set FS_ACCESS_MIRROR)\n');
    return 2;
  }
  const { manifest, problems } = await build(mirror);
  for (const p of problems) process.stderr.write(`make-manifest: ${p}\n`);
  if (problems.length > 0) return 1;
  const out = values.out ?? manifestPath;
  const text = JSON.stringify(manifest, null, 2) + '\n';
  if (values.check) {
    const current = loadManifest(out);
    const same = JSON.stringify(current, null, 2) + '\n' === text;
    process.stderr.write(same ? `make-manifest: ${out} matches ${mirror} (${manifest.sources.length} sources)\n` : `make-manifest: ${out} differs from what ${mirror} gives; rerun without --check\n`);
    return same ? 0 : 1;
  }
  const tmp = `${out}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, out);
  process.stderr.write(`make-manifest: wrote ${out} (${manifest.sources.length} sources, ${Object.keys(groups).length} groups)\n`);
  return 0;
}

main().then((code) => {
  process.exitCode = code;
});
