/**
 * The MapLibre map: a base drawn from our own outlines (no tiles unless the user adds a
 * tile URL), households coloured by minutes to the nearest site, sites by format, gaps,
 * commune outlines, candidates, recommended picks, and highlights of what a candidate adds
 * or a closure removes.
 *
 * The households layer is read by MapLibre straight from the prepared file (coloured by
 * the report's times), so the first map does not wait for the engines; later changes of
 * time, highlights and communes' gap outlines go through feature-state keyed by unit.
 */
import { AttributionControl, GeoJSONSource, Map as MlMap, NavigationControl, Popup, ScaleControl, setWorkerUrl, type LayerSpecification, type MapMouseEvent, type StyleSpecification } from 'maplibre-gl';
import maplibreWorkerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url';
import 'maplibre-gl/dist/maplibre-gl.css';
import { GAIN_COLOR, GAP_COLOR, LOSS_COLOR, SITE_STYLES, colourMinutes, timeClass, timeColorExpression } from './legend.ts';

// Vite bundles MapLibre's worker as a same-origin file: no blob: worker needed.
setWorkerUrl(maplibreWorkerUrl);

const EMPTY: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };

export type LayerGroup = 'households' | 'sites' | 'gaps' | 'communes';
export type DataSource = 'gaps' | 'area' | 'sites' | 'candidates' | 'picks';

const GROUPS: Record<LayerGroup, string[]> = {
  households: ['households-fill'],
  sites: ['sites-circle'],
  gaps: ['gaps-fill', 'gaps-line', 'households-gap'],
  communes: ['communes-line'],
};

export interface MapData {
  /** Folder URL of the département's prepared files (ending in '/'). */
  base: string;
  bbox: [number, number, number, number];
  kind: 'grid' | 'communes';
}

function style(d: MapData): StyleSpecification {
  const circle = (kind: keyof typeof SITE_STYLES) => SITE_STYLES[kind];
  const hl = ['feature-state', 'hl'];
  const outlines = d.kind === 'communes';
  return {
    version: 8,
    sources: {
      context: { type: 'geojson', data: d.base + 'context.geojson' },
      // Vector tiles made by prepare-data (z5–z12; a 200 m cell is 5 px at z12, overzoomed beyond).
      households: { type: 'vector', tiles: [d.base + 'tiles/{z}/{x}/{y}.pbf'], minzoom: 5, maxzoom: 12, bounds: d.bbox, promoteId: 'unit' },
      gaps: { type: 'geojson', data: EMPTY },
      area: { type: 'geojson', data: EMPTY },
      sites: { type: 'geojson', data: EMPTY },
      candidates: { type: 'geojson', data: EMPTY },
      picks: { type: 'geojson', data: EMPTY },
    },
    layers: ([
      { id: 'background', type: 'background', paint: { 'background-color': '#dfe6ec' } },
      { id: 'context-fill', type: 'fill', source: 'context', paint: { 'fill-color': ['case', ['get', 'current'], '#fbfaf6', '#eeebe3'] } },
      {
        id: 'households-fill',
        type: 'fill',
        source: 'households',
        'source-layer': 'households',
        paint: {
          'fill-color': ['case', ['==', hl, 'gain'], GAIN_COLOR, ['==', hl, 'loss'], LOSS_COLOR, timeColorExpression()] as never,
          'fill-opacity': outlines ? 0.8 : 0.88,
          // Adjacent 200 m squares need no antialiased edge (a second draw of every polygon).
          'fill-antialias': outlines,
          'fill-outline-color': '#ffffff',
        },
      },
      { id: 'communes-line', type: 'line', source: 'households', 'source-layer': 'communes', paint: { 'line-color': '#6f6f6f', 'line-width': ['interpolate', ['linear'], ['zoom'], 7, 0.4, 12, 1.2], 'line-opacity': 0.8 } },
      { id: 'context-line', type: 'line', source: 'context', paint: { 'line-color': '#3d3d3d', 'line-width': ['case', ['get', 'current'], 2.4, 1] } },
      { id: 'gaps-fill', type: 'fill', source: 'gaps', paint: { 'fill-color': GAP_COLOR, 'fill-opacity': 0.12 } },
      { id: 'gaps-line', type: 'line', source: 'gaps', paint: { 'line-color': GAP_COLOR, 'line-width': ['interpolate', ['linear'], ['zoom'], 8, 0.8, 12, 2] } },
      // Commune level only: uncovered communes outlined through feature-state (on the grid the
      // gaps come as polygons, and 25,000 invisible square outlines would still be drawn).
      {
        id: 'households-gap',
        type: 'line',
        source: 'households',
        'source-layer': 'households',
        paint: { 'line-color': GAP_COLOR, 'line-width': 2.2, 'line-opacity': ['case', ['boolean', ['feature-state', 'gap'], false], 1, 0] },
      },
      { id: 'area-fill', type: 'fill', source: 'area', paint: { 'fill-color': '#0f2f55', 'fill-opacity': 0.06 } },
      {
        id: 'area-line',
        type: 'line',
        source: 'area',
        paint: { 'line-color': '#0f2f55', 'line-width': 2, 'line-dasharray': ['case', ['==', ['get', 'threshold_min'], 20], ['literal', [1, 0]], ['literal', [3, 2]]] as never },
      },
      {
        id: 'sites-circle',
        type: 'circle',
        source: 'sites',
        paint: {
          'circle-color': ['match', ['get', 'kind'], 'bus', circle('bus').color, 'antenna', circle('antenna').color, circle('fixed').color],
          'circle-stroke-color': ['match', ['get', 'kind'], 'antenna', circle('antenna').stroke, '#ffffff'],
          'circle-stroke-width': 2,
          'circle-radius': ['match', ['get', 'kind'], 'antenna', circle('antenna').radius, circle('fixed').radius],
          'circle-opacity': ['case', ['get', 'closed'], 0.25, 1],
          'circle-stroke-opacity': ['case', ['get', 'closed'], 0.25, 1],
        },
      },
      {
        id: 'picks-circle',
        type: 'circle',
        source: 'picks',
        paint: { 'circle-color': circle('pick').color, 'circle-stroke-color': circle('pick').stroke, 'circle-stroke-width': 2, 'circle-radius': circle('pick').radius },
      },
      {
        id: 'candidates-circle',
        type: 'circle',
        source: 'candidates',
        paint: { 'circle-color': circle('candidate').color, 'circle-stroke-color': circle('candidate').stroke, 'circle-stroke-width': 2.5, 'circle-radius': circle('candidate').radius },
      },
    ] satisfies LayerSpecification[]).filter((l) => outlines || l.id !== 'households-gap'),
  };
}

export class MapView {
  readonly map: MlMap;
  /** Resolves when the households are drawn for the first time. */
  readonly firstData: Promise<void>;
  /** Resolves when the style (all sources and layers) is loaded. */
  readonly loaded: Promise<void>;
  private shown: Float32Array | null = null;
  private highlighted: Record<'gain' | 'loss', ArrayLike<number>> = { gain: [], loss: [] };
  private gapUnits: ArrayLike<number> = [];
  private tileUrl: string | null = null;

  constructor(container: HTMLElement, private readonly data: MapData) {
    this.map = new MlMap({
      container,
      style: style(data),
      bounds: data.bbox,
      fitBoundsOptions: { padding: 24 },
      attributionControl: false,
      dragRotate: false,
      pitchWithRotate: false,
      maxZoom: 16,
      minZoom: 5,
    });
    this.map.touchZoomRotate.disableRotation();
    this.map.keyboard.disableRotation();
    this.map.addControl(new NavigationControl({ showCompass: false }), 'top-left');
    this.map.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-left');
    this.map.addControl(
      new AttributionControl({
        compact: false,
        customAttribution: 'Ménages : INSEE Filosofi 2019 (carreaux 200 m) et recensement 2021 · Sites : ANCT, août 2024 · Contours : IGN Admin Express',
      }),
      'bottom-right',
    );
    this.map.getCanvas().setAttribute('aria-label', 'Carte : flèches pour se déplacer, + et − pour zoomer');
    this.loaded = new Promise((resolve) => this.map.once('load', () => resolve()));
    // For the tests (and anyone measuring): whether the map has finished drawing.
    this.map.on('render', () => {
      if (document.body.dataset.mapIdle !== '0') document.body.dataset.mapIdle = '0';
    });
    this.map.on('idle', () => (document.body.dataset.mapIdle = '1'));
    this.firstData = new Promise((resolve) => {
      const check = () => {
        if (!this.map.isSourceLoaded('households')) return;
        this.map.off('sourcedata', check);
        this.map.once('idle', () => resolve());
      };
      this.map.on('sourcedata', check);
    });
  }

  /**
   * Recolours the units whose colour class changed (feature-state; no re-tiling). Only a
   * change of class is sent: MapLibre then updates few features per tile. `initial`: the
   * minutes the tiles were made with.
   */
  updateMinutes(minutes: Float32Array, initial?: Float32Array): void {
    if (!this.shown) this.shown = initial ? Float32Array.from(initial, (m) => timeClass(colourMinutes(m))) : new Float32Array(minutes.length).fill(NaN);
    const shown = this.shown;
    for (let i = 0; i < minutes.length; i++) {
      const t = colourMinutes(minutes[i]);
      const c = timeClass(t);
      if (c === shown[i]) continue;
      this.map.setFeatureState({ source: 'households', sourceLayer: 'households', id: i }, { t });
      shown[i] = c;
    }
  }

  /** Marks units as gained (pink) or lost (black); replaces the previous units of that kind. */
  highlight(kind: 'gain' | 'loss', units: ArrayLike<number>): void {
    const prev = this.highlighted[kind];
    for (let j = 0; j < prev.length; j++) this.map.removeFeatureState({ source: 'households', sourceLayer: 'households', id: prev[j] }, 'hl');
    // A unit in both lists shows the other kind again.
    const other = kind === 'gain' ? 'loss' : 'gain';
    for (let j = 0; j < this.highlighted[other].length; j++) this.map.setFeatureState({ source: 'households', sourceLayer: 'households', id: this.highlighted[other][j] }, { hl: other });
    for (let j = 0; j < units.length; j++) this.map.setFeatureState({ source: 'households', sourceLayer: 'households', id: units[j] }, { hl: kind });
    this.highlighted[kind] = Array.from(units);
  }

  /** Commune level: outlines the uncovered communes. */
  setGapUnits(units: ArrayLike<number>): void {
    for (let j = 0; j < this.gapUnits.length; j++) this.map.removeFeatureState({ source: 'households', sourceLayer: 'households', id: this.gapUnits[j] }, 'gap');
    for (let j = 0; j < units.length; j++) this.map.setFeatureState({ source: 'households', sourceLayer: 'households', id: units[j] }, { gap: true });
    this.gapUnits = Array.from(units);
  }

  private lastData = new Map<DataSource, string>();

  /** Replaces a source's data; `key` (when given and unchanged since the last call) skips the update. */
  setData(source: DataSource, data: GeoJSON.FeatureCollection, key?: string): void {
    if (key !== undefined && this.lastData.get(source) === key) return;
    if (key !== undefined) this.lastData.set(source, key);
    else this.lastData.delete(source);
    (this.map.getSource(source) as GeoJSONSource | undefined)?.setData(data);
  }

  setVisible(group: LayerGroup, visible: boolean): void {
    for (const id of GROUPS[group]) if (this.map.getLayer(id)) this.map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
  }

  /** Raster tiles under the data (null removes them). Only https URLs with {z}/{x}/{y}. */
  setTiles(url: string | null): void {
    const apply = () => {
      const m = this.map;
      if (m.getLayer('tiles')) m.removeLayer('tiles');
      if (m.getSource('tiles')) m.removeSource('tiles');
      if (!url) return;
      m.addSource('tiles', { type: 'raster', tiles: [url], tileSize: 256, attribution: 'Fond de carte : source configurée par l’utilisateur' });
      m.addLayer({ id: 'tiles', type: 'raster', source: 'tiles', paint: { 'raster-opacity': 0.7 } }, 'households-fill');
    };
    this.tileUrl = url;
    if (this.map.isStyleLoaded()) apply();
    else this.map.once('load', apply);
  }

  get tiles(): string | null {
    return this.tileUrl;
  }

  get kind(): 'grid' | 'communes' {
    return this.data.kind;
  }

  onClick(handler: (e: MapMouseEvent, hit: { layer: string; properties: Record<string, unknown> } | null) => void): void {
    this.map.on('click', (e) => {
      const box: [[number, number], [number, number]] = [
        [e.point.x - 5, e.point.y - 5],
        [e.point.x + 5, e.point.y + 5],
      ];
      const layers = ['candidates-circle', 'picks-circle', 'sites-circle'].filter((id) => this.map.getLayoutProperty(id, 'visibility') !== 'none');
      const hits = layers.length ? this.map.queryRenderedFeatures(box, { layers }) : [];
      const top = hits[0];
      handler(e, top ? { layer: top.layer.id, properties: top.properties as Record<string, unknown> } : null);
    });
    for (const id of ['candidates-circle', 'picks-circle', 'sites-circle']) {
      this.map.on('mouseenter', id, () => (this.map.getCanvas().style.cursor = 'pointer'));
      this.map.on('mouseleave', id, () => (this.map.getCanvas().style.cursor = ''));
    }
  }

  popup(lngLat: [number, number], content: HTMLElement): Popup {
    return new Popup({ maxWidth: '320px', closeButton: true, focusAfterOpen: true }).setLngLat(lngLat).setDOMContent(content).addTo(this.map);
  }
}
