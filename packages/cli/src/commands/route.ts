/** `fs-access route`: a car route between two points on an OpenStreetMap extract. */
import fs from 'node:fs';
import { buildCarGraph, route } from '@fs-access/osm';
import { UsageError, inputFile, numberOption, parse, required, withOutputFile } from '../cli-kit.ts';

export const usage = `Usage: fs-access route --osm FILE.osm.pbf --from LAT,LON --to LAT,LON
                        [--metric time|distance] [--max-snap METRES] [--json] [--geojson FILE]

Builds the car graph of the extract (largest strongly connected part), snaps both points
onto the nearest road (at most --max-snap metres away, default 1000) and prints the
fastest route (--metric time, the default) or the shortest (--metric distance):
distance in metres, driving time in seconds, number of points of the line. Distance and
time run between the snapped points; the legs off the road are printed apart.
--json prints one JSON object instead; --geojson writes the route as a GeoJSON LineString
Feature (written to a temporary file, then renamed).`;

function latLon(name: string, raw: string | undefined): [number, number] {
  const v = required(name, raw);
  const parts = v.split(',').map((s) => s.trim());
  if (parts.length !== 2 || parts.some((p) => p === '')) throw new UsageError(`--${name} must be LAT,LON (e.g. 43.7384,7.4246), got "${v}"`);
  const lat = Number(parts[0]);
  const lon = Number(parts[1]);
  if (!Number.isFinite(lat) || lat < -90 || lat > 90) throw new UsageError(`--${name}: latitude must be a number in -90..90, got "${parts[0]}"`);
  if (!Number.isFinite(lon) || lon < -180 || lon > 180) throw new UsageError(`--${name}: longitude must be a number in -180..180, got "${parts[1]}"`);
  return [lon, lat];
}

function clock(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.round(seconds % 60);
  return h > 0 ? `${h} h ${String(m).padStart(2, '0')} min` : `${m} min ${String(s).padStart(2, '0')} s`;
}

export async function run(argv: string[]): Promise<void> {
  const { values } = parse(argv, {
    osm: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    metric: { type: 'string' },
    'max-snap': { type: 'string' },
    json: { type: 'boolean' },
    geojson: { type: 'string' },
  });
  const osm = inputFile('osm', values.osm);
  const from = latLon('from', values.from);
  const to = latLon('to', values.to);
  const metric = values.metric ?? 'time';
  if (metric !== 'time' && metric !== 'distance') throw new UsageError(`--metric must be time or distance, got "${metric}"`);
  const maxSnapM = numberOption('max-snap', values['max-snap'], { min: 0, fallback: 1000 });

  const car = await buildCarGraph(osm);
  const r = route(car, from, to, { metric, maxSnapM });

  if (values.geojson) {
    const feature = {
      type: 'Feature',
      properties: { metric, distance_m: r.distanceM, time_s: r.timeS, from_snap_m: round1(r.snapped.from.distanceM), to_snap_m: round1(r.snapped.to.distanceM), source: osm },
      geometry: { type: 'LineString', coordinates: r.coordinates.map(([x, y]) => [round7(x), round7(y)]) },
    };
    await withOutputFile(values.geojson, async (tmp) => fs.promises.writeFile(tmp, JSON.stringify(feature) + '\n'));
  }
  if (values.json) {
    const snap = (s: typeof r.snapped.from) => ({ lat: round7(s.lat), lon: round7(s.lon), distance_m: round1(s.distanceM) });
    const out = {
      metric,
      distance_m: r.distanceM,
      time_s: r.timeS,
      points: r.coordinates.length,
      from: snap(r.snapped.from),
      to: snap(r.snapped.to),
      graph: { nodes: car.stats.nodes, arcs: car.stats.arcs },
    };
    process.stdout.write(JSON.stringify(out) + '\n');
  } else {
    process.stdout.write(
      `route by ${metric} on ${osm} (${car.stats.nodes} nodes, ${car.stats.arcs} arcs)\n` +
        `distance  ${r.distanceM.toFixed(1)} m\n` +
        `time      ${r.timeS.toFixed(1)} s (${clock(r.timeS)})\n` +
        `points    ${r.coordinates.length}\n` +
        `snapped   start ${round1(r.snapped.from.distanceM)} m, end ${round1(r.snapped.to.distanceM)} m off the road\n` +
        (values.geojson ? `geojson   ${values.geojson}\n` : ''),
    );
  }
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
function round7(x: number): number {
  return Math.round(x * 1e7) / 1e7;
}
