/**
 * The page: loads a département's prepared data, starts the engine workers, draws the map
 * and the panel, and turns clicks into what-if questions. All computation happens in
 * workers (engine.worker.ts, cover.worker.ts) through @fs-access/access and
 * @fs-access/siting; this file only moves results to the screen.
 *
 * Measurements for the browser tests are written as data attributes (never globals):
 * body[data-first-map-ms] (time from navigation to the first map with data drawn),
 * #candidate-result[data-latency-ms] (last click → result on screen).
 */
import './style.css';
import * as Comlink from 'comlink';
import { createPool, type WorkerPool } from '@fs-access/workers';
import type { MapMouseEvent } from 'maplibre-gl';
import { byId, fill, h } from './dom.ts';
import type { CandidateEffect, ClosureLoss, PackedCover, Recommendation, Scenario, UserCandidate, View } from './engine.ts';
import type { EngineApi } from './engine.worker.ts';
import { frGain, frInt, frLonLat, frMin, frPct, plural } from './format.ts';
import { GAIN_COLOR, GAP_COLOR, LOSS_COLOR, NO_SITE_COLOR, SITE_STYLES, TIME_BINS, siteKind } from './legend.ts';
import { MapView, type LayerGroup } from './map-view.ts';
import type { DataIndex, DepartementMeta, SitesJson } from './prepared.ts';

type Engine = Comlink.Remote<EngineApi>;

const DAYS = ['Lundi', 'Mardi', 'Mercredi', 'Jeudi', 'Vendredi', 'Samedi'];
const TILE_KEY = 'fs-access-map-tiles';

interface AppState {
  dep: string;
  /** Index into meta.thresholdsMin. */
  t: number;
  scenario: Scenario;
  site: string | null;
  k: number;
}

const round5 = (x: number) => Math.round(x * 1e5) / 1e5;
const round2 = (x: number) => Math.round(x * 100) / 100;
const nextFrame = () => new Promise<void>((r) => requestAnimationFrame(() => r()));

function setStatus(text: string): void {
  byId('status').textContent = text;
}

async function fetchJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url} : HTTP ${res.status}`);
  return (await res.json()) as T;
}

// ---- URL state ----------------------------------------------------------------------

function readUrl(index: DataIndex): AppState {
  const q = new URLSearchParams(location.search);
  const dep = index.departements.some((d) => d.code === q.get('dep')) ? q.get('dep')! : index.defaultDepartement;
  const seuil = Number(q.get('seuil'));
  const added: UserCandidate[] = [];
  for (const part of (q.get('candidats') ?? '').split(';')) {
    const [lon, lat] = part.split(',').map(Number);
    if (Number.isFinite(lon) && Number.isFinite(lat) && Math.abs(lon) <= 180 && Math.abs(lat) <= 90) added.push({ id: `c${added.length + 1}`, lon: round5(lon), lat: round5(lat) });
  }
  const closed = (q.get('fermes') ?? '').split(',').filter((s) => s !== '');
  const k = Number(q.get('k'));
  return { dep, t: seuil === 30 ? 1 : 0, scenario: { closed, added }, site: q.get('site'), k: Number.isInteger(k) && k >= 1 && k <= 10 ? k : 3 };
}

function writeUrl(s: AppState, meta: DepartementMeta): void {
  const q = new URLSearchParams();
  q.set('dep', s.dep);
  q.set('seuil', String(meta.thresholdsMin[s.t]));
  if (s.scenario.added.length) q.set('candidats', s.scenario.added.map((c) => `${c.lon},${c.lat}`).join(';'));
  if (s.scenario.closed.length) q.set('fermes', s.scenario.closed.join(','));
  if (s.site) q.set('site', s.site);
  if (s.k !== 3) q.set('k', String(s.k));
  history.replaceState(null, '', `${location.pathname}?${q.toString()}`);
}

// ---- the app ------------------------------------------------------------------------

class App {
  private view: View | null = null;
  private losses = new Map<string, ClosureLoss>();
  private reco: Recommendation | null = null;
  private lastEffect: CandidateEffect | null = null;
  private lastLoss: ClosureLoss | null = null;
  private siteIndex = new Map<string, number>();
  private shownSites = new Set<string>();
  private pool: WorkerPool | null = null;
  private dirty = false;
  private running: Promise<void> | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private nextCandidate = 1;
  private areaSite: string | null = null;

  constructor(
    private readonly state: AppState,
    private readonly meta: DepartementMeta,
    private readonly sites: SitesJson,
    private readonly quick: Engine,
    private readonly full: Engine,
    private readonly mapView: MapView,
    /** Per candidate of the scenario, what it newly covers (quick engine). */
    private effects: CandidateEffect[],
  ) {
    sites.id.forEach((id, i) => this.siteIndex.set(id, i));
    this.nextCandidate = state.scenario.added.length + 1;
  }

  get thresholdMin(): number {
    return this.meta.thresholdsMin[this.state.t];
  }

  /** Fills the panel and the engine-made layers; resolves when the map shows them. */
  async start(view: View): Promise<void> {
    await this.mapView.loaded;
    const base = this.state.scenario.added.length === 0 && this.state.scenario.closed.length === 0;
    // The households file shows the report's times, i.e. the scenario without changes.
    this.mapView.updateMinutes(view.minutes, base ? view.minutes : undefined);
    this.renderStatic();
    document.body.dataset.busy = '0';
    this.applyView(view);
    this.renderCandidates();
    this.renderClosures();
    this.mapView.onClick((e, hit) => void this.onMapClick(e, hit));
    await new Promise<void>((resolve) => this.mapView.map.once('idle', () => resolve()));
    if (this.state.site && this.siteIndex.has(this.state.site)) byId<HTMLSelectElement>('site-select').value = this.state.site;
  }

  // ---- refresh loop (full engine) ----

  /** Rebuilds the report shortly after the last change (clicks in a row refresh once). */
  private scheduleRefresh(delay = 600): void {
    this.dirty = true;
    document.body.dataset.busy = '1';
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.runRefresh(), delay);
  }

  private runRefresh(): Promise<void> {
    if (this.running) return this.running;
    if (!this.dirty) return Promise.resolve();
    const loop = async () => {
      while (this.dirty) {
        this.dirty = false;
        const scenario: Scenario = { closed: [...this.state.scenario.closed], added: this.state.scenario.added.map((c) => ({ ...c })) };
        const view = await this.full.refresh(scenario);
        // A newer change is waiting: its refresh will show.
        if (!this.dirty) this.applyView(view);
      }
    };
    // Cleared only once settled (never synchronously), so a finished loop never stays "running".
    const run = loop().finally(() => {
      if (this.running === run) this.running = null;
      if (!this.dirty) document.body.dataset.busy = '0';
    });
    this.running = run;
    return run;
  }

  /** Waits until the full engine holds the current scenario. */
  private async ensureFresh(): Promise<void> {
    clearTimeout(this.timer);
    if (this.dirty || this.running) await this.runRefresh();
    if (this.dirty) await this.runRefresh();
  }

  // ---- rendering ----

  private renderStatic(): void {
    const m = this.meta;
    const tl = byId('legend-times');
    fill(
      tl,
      ...TIME_BINS.map((b) => h('li', {}, swatch(b.color), b.label)),
      h('li', {}, swatch(NO_SITE_COLOR), 'aucun site joignable'),
    );
    const sl = byId('legend-symbols');
    fill(
      sl,
      ...(['fixed', 'bus', 'antenna', 'candidate', 'pick'] as const).map((k) => h('li', {}, dot(SITE_STYLES[k].color, SITE_STYLES[k].stroke), SITE_STYLES[k].label)),
      h('li', {}, lineSwatch(GAP_COLOR), `Zone non couverte (au-delà du seuil)`),
      h('li', {}, swatch(GAIN_COLOR), 'Ménages gagnés par le dernier site candidat'),
      h('li', {}, swatch(LOSS_COLOR), 'Ménages perdus par la fermeture simulée'),
      h('li', {}, lineSwatch('#0f2f55'), 'Zone à 20 min (trait plein) et 30 min (tirets) du site choisi'),
    );
    const p = m.model;
    fill(
      byId('method'),
      `Temps de trajet estimé à vol d'oiseau : distance × facteur de détour ${String(p.detourFactor).replace('.', ',')} ÷ ${String(p.speedKmh).replace('.', ',')} km/h + ${p.accessTimeS} s d'accès (paramètres calibrés sur des réseaux routiers réels). `,
      m.kind === 'grid'
        ? 'Ménages : carreaux de 200 m de Filosofi (INSEE 2019), au centre du carreau. '
        : 'Ménages : recensement 2021 par commune, au centroïde de la commune (toute la commune a le même temps). ',
      `Les ${frInt(m.siteCount)} sites France services à moins de 65 km comptent, y compris ceux des départements voisins. Mêmes calculs et mêmes chiffres que le rapport « fs-access report ».`,
    );
    fill(
      byId('sources'),
      ...m.sources.map((s) => h('li', {}, s.description ? `${s.description} — ` : '', /^https:\/\//.test(s.url) ? h('a', { attrs: { href: s.url, rel: 'noreferrer', target: '_blank' } }, s.name) : s.name, `, ${s.date}`)),
    );
    byId('reco-note').textContent = `Parmi les ${frInt(m.candidates.count)} lieux publics du département (mairies, gendarmeries, trésoreries… annuaire de l'administration), les emplacements qui rapprochent le plus de ménages sous le seuil (algorithme glouton de couverture maximale).`;
    const count = m.kind === 'grid' ? `${frInt(m.count)} carreaux habités de 200 m` : `${frInt(m.count)} communes`;
    setStatus(`${m.name} (${m.code}) : ${count}. Cliquez sur la carte pour essayer un nouveau site.`);
  }

  private applyView(view: View): void {
    this.view = view;
    const k = this.state.t;
    const tMin = this.thresholdMin;
    fill(
      byId('totals'),
      h('strong', { dataset: { value: view.totals.households }, id: 'total-households' }, plural(view.totals.households, 'ménage')),
      ` (${plural(view.totals.inhabitants, 'habitant')}`,
      view.totals.poor !== null ? `, dont ${plural(view.totals.poor, 'ménage pauvre', 'ménages pauvres')}` : '',
      `) ; ${this.meta.kind === 'grid' ? 'carreaux de 200 m' : 'ménages par commune'}.`,
    );
    const tbody = byId('coverage').querySelector('tbody')!;
    fill(
      tbody,
      ...view.thresholds.map((t, i) =>
        h(
          'tr',
          { class: i === k ? 'current' : '', dataset: { threshold: t.thresholdMin } },
          h('th', { attrs: { scope: 'row' } }, `${t.thresholdMin} min`),
          h('td', { dataset: { field: 'households', value: t.households } }, frInt(t.households)),
          h('td', { dataset: { field: 'share', value: t.share } }, frPct(t.share)),
          h('td', { dataset: { field: 'poor', value: t.poor ?? '' } }, t.poor === null ? 'n.d.' : frInt(t.poor)),
          h('td', { dataset: { field: 'sharePoor', value: t.sharePoor ?? '' } }, t.sharePoor === null ? 'n.d.' : frPct(t.sharePoor)),
        ),
      ),
    );
    byId('times').textContent = `Temps médian ${frMin(view.p50Min)} ; 90 % des ménages à moins de ${frMin(view.p90Min)} ; le plus long ${frMin(view.maxMin)}.`;

    // Worst communes at the chosen threshold.
    byId('worst-share-head').textContent = `Part à ${tMin} min`;
    fill(
      byId('worst').querySelector('tbody')!,
      ...view.worst[k].map((c) =>
        h(
          'tr',
          { dataset: { code: c.code } },
          h('td', {}, c.name || c.code, h('span', { class: 'sr-only' }, ` (${c.code})`)),
          h('td', { dataset: { value: c.households } }, frInt(c.households)),
          h('td', { dataset: { value: c.share } }, frPct(c.share)),
          h('td', {}, frMin(c.meanMin)),
        ),
      ),
    );

    // Gaps.
    const g = view.gaps[k];
    const unitWord = this.meta.kind === 'grid' ? (g.count === 1 ? 'zone' : 'zones') : g.count === 1 ? 'commune' : 'communes';
    fill(
      byId('gaps'),
      h('strong', { id: 'gaps-count', dataset: { value: g.count } }, `${frInt(g.count)} ${unitWord}`),
      ` au-delà de ${tMin} min, `,
      h('strong', { id: 'gaps-households', dataset: { value: g.households } }, plural(g.households, 'ménage')),
      '.',
    );
    if (g.geojson) this.mapView.setData('gaps', g.geojson, `${k}:${g.count}:${g.households}`);
    else this.mapView.setGapUnits(g.units);

    this.mapView.updateMinutes(view.minutes);
    this.renderSites(view);
    // The map redraws after these changes: it is not idle until its next 'idle' event.
    document.body.dataset.mapIdle = '0';
    this.mapView.map.triggerRepaint();
    document.body.dataset.ready = '1';
  }

  private renderSites(view: View): void {
    for (const s of view.sites) this.shownSites.add(s.id);
    const closed = new Set(this.state.scenario.closed);
    const features: GeoJSON.Feature[] = [];
    for (const id of this.shownSites) {
      const i = this.siteIndex.get(id);
      if (i === undefined) continue;
      features.push({
        type: 'Feature',
        properties: { id, kind: siteKind(this.sites.type[i], this.sites.format[i]), closed: closed.has(id) },
        geometry: { type: 'Point', coordinates: [this.sites.lon[i], this.sites.lat[i]] },
      });
    }
    this.mapView.setData('sites', { type: 'FeatureCollection', features }, JSON.stringify(features.map((f) => [f.properties!.id, f.properties!.closed])));

    const select = byId<HTMLSelectElement>('site-select');
    const keep = select.value || this.state.site || '';
    const served = new Map(view.sites.map((s) => [s.id, s]));
    const ids = [...this.shownSites].filter((id) => this.siteIndex.has(id));
    const inArea = ids.filter((id) => this.sites.departement[this.siteIndex.get(id)!] === this.meta.code);
    const others = ids.filter((id) => this.sites.departement[this.siteIndex.get(id)!] !== this.meta.code);
    const byName = (a: string, b: string) => this.sites.name[this.siteIndex.get(a)!].localeCompare(this.sites.name[this.siteIndex.get(b)!], 'fr');
    const option = (id: string) => {
      const i = this.siteIndex.get(id)!;
      const s = served.get(id);
      const label = `${this.sites.name[i]}${closed.has(id) ? ' — fermé (simulation)' : s ? ` — ${plural(s.served, 'ménage')}` : ''}`;
      return h('option', { attrs: { value: id } }, label);
    };
    fill(
      select,
      h('optgroup', { attrs: { label: `Dans le département (${inArea.length})` } }, ...inArea.sort(byName).map(option)),
      others.length ? h('optgroup', { attrs: { label: `Départements voisins (${others.length})` } }, ...others.sort(byName).map(option)) : null,
    );
    if (keep && this.siteIndex.has(keep)) select.value = keep;
    this.updateSiteButtons();
  }

  private updateSiteButtons(): void {
    const id = byId<HTMLSelectElement>('site-select').value;
    const closed = this.state.scenario.closed.includes(id);
    byId('site-close').textContent = closed ? 'Rouvrir ce site' : 'Simuler la fermeture';
    byId('site-area').textContent = this.areaSite === id ? 'Masquer la zone à 20 et 30 min' : 'Zone à 20 et 30 min';
  }

  private renderCandidates(withMap = true): void {
    const k = this.state.t;
    const list = byId('candidate-list');
    fill(
      list,
      ...this.state.scenario.added.map((c, i) => {
        const e = this.effects[i];
        return h(
          'li',
          { dataset: { id: c.id, lon: c.lon, lat: c.lat, households: e ? round2(e.gains[k].households) : undefined, units: e ? e.gains[k].units : undefined } },
          `Site candidat ${i + 1} (${frLonLat(c.lon, c.lat)}) : `,
          e ? h('strong', {}, `${frGain(e.gains[k].households)} ménages`) : '…',
          e ? ` à ${this.thresholdMin} min` : '',
          h('button', { class: 'secondary', attrs: { type: 'button', 'aria-label': `Retirer le site candidat ${i + 1}` }, on: { click: () => void this.removeCandidate(c.id) } }, 'Retirer'),
        );
      }),
    );
    byId('clear-candidates').hidden = this.state.scenario.added.length < 2;
    this.renderCandidateResult(this.lastCandidate());
    if (withMap) this.renderCandidateMap();
  }

  private lastCandidate(): CandidateEffect | null {
    return this.lastEffect && this.state.scenario.added.some((c) => c.id === this.lastEffect!.id) ? this.lastEffect : null;
  }

  /** Candidate markers and the last candidate's newly covered units on the map. */
  private renderCandidateMap(): void {
    this.mapView.setData('candidates', {
      type: 'FeatureCollection',
      features: this.state.scenario.added.map((c, i) => ({ type: 'Feature', properties: { id: c.id, n: i + 1 }, geometry: { type: 'Point', coordinates: [c.lon, c.lat] } })),
    });
    const e = this.lastCandidate();
    this.mapView.highlight('gain', e ? e.units[this.state.t] : []);
  }

  private renderCandidateResult(e: CandidateEffect | null): void {
    const el = byId('candidate-result');
    const k = this.state.t;
    if (!e) {
      fill(el);
      delete el.dataset.households;
      delete el.dataset.units;
      return;
    }
    const n = this.state.scenario.added.findIndex((c) => c.id === e.id) + 1;
    const g = e.gains[k];
    const other = e.gains.map((x, i) => (i === k ? null : `${frGain(x.households)} à ${this.meta.thresholdsMin[i]} min`)).filter(Boolean);
    fill(
      el,
      `Site candidat ${n} : `,
      h('strong', {}, `${frGain(g.households)} ménages`),
      ` passent sous ${this.thresholdMin} min`,
      this.meta.kind === 'grid' ? ` (${plural(g.units, 'carreau', 'carreaux')}, dont ${frInt(g.poor)} ménages pauvres)` : ` (${plural(g.units, 'commune')})`,
      other.length ? ` ; ${other.join(', ')}.` : '.',
    );
    el.dataset.id = e.id;
    el.dataset.households = String(round2(g.households));
    el.dataset.units = String(g.units);
    el.dataset.lon = String(e.lon);
    el.dataset.lat = String(e.lat);
  }

  private renderClosures(): void {
    const k = this.state.t;
    fill(
      byId('closed-list'),
      ...this.state.scenario.closed.map((id) => {
        const i = this.siteIndex.get(id);
        const name = i === undefined ? id : this.sites.name[i];
        const loss = this.losses.get(id);
        return h(
          'li',
          { dataset: { id } },
          `Fermé : ${name}`,
          loss ? ` — ${frInt(loss.lost[k].households)} ménages perdent l'accès à ${this.thresholdMin} min` : '',
          h('button', { class: 'secondary', attrs: { type: 'button' }, on: { click: () => void this.reopenSite(id) } }, 'Rouvrir'),
        );
      }),
    );
    const el = byId('closure-result');
    const l = this.lastLoss && this.state.scenario.closed.includes(this.lastLoss.siteId) ? this.lastLoss : null;
    if (!l) {
      fill(el);
      this.mapView.highlight('loss', []);
      return;
    }
    const g = l.lost[k];
    fill(
      el,
      `Fermeture de ${l.siteName} : `,
      h('strong', { dataset: { value: Math.round(g.households * 100) / 100 } }, `${frInt(g.households)} ménages`),
      ` ne sont plus à ${this.thresholdMin} min d'un site`,
      this.meta.kind === 'grid' ? ` (dont ${frInt(g.poor)} ménages pauvres)` : '',
      ` ; le site servait ${plural(l.servedHouseholds, 'ménage')} en tout.`,
    );
    this.mapView.highlight('loss', l.lostUnits[k]);
  }

  private renderReco(): void {
    const r = this.reco;
    const list = byId('reco-list');
    const el = byId('reco-result');
    if (!r) {
      fill(list);
      fill(el);
      this.mapView.setData('picks', { type: 'FeatureCollection', features: [] });
      return;
    }
    const total = r.picks.reduce((s, p) => s + p.gain, 0);
    fill(
      el,
      r.picks.length === 0
        ? `Aucun lieu candidat ne rapproche de ménage sous ${r.thresholdMin} min : tous les ménages que ces lieux pourraient atteindre le sont déjà.`
        : `${r.picks.length} site${r.picks.length > 1 ? 's' : ''} recommandé${r.picks.length > 1 ? 's' : ''} à ${r.thresholdMin} min : `,
      r.picks.length ? h('strong', {}, `${frGain(total)} ménages`) : '',
      r.picks.length ? ` ; la part couverte passerait de ${frPct(r.baselineShare)} à ${frPct(r.share)} (${frInt(r.candidates)} lieux examinés).` : '',
    );
    el.dataset.k = String(r.k);
    fill(
      list,
      ...r.picks.map((p) =>
        h(
          'li',
          { dataset: { candidateId: p.id, gain: p.gain } },
          h('strong', {}, p.name || p.id),
          p.communeName ? ` (${p.communeName})` : '',
          ` : ${frGain(p.gain)} ménages, part cumulée ${frPct(p.share)}`,
          h('button', { class: 'secondary', attrs: { type: 'button' }, on: { click: () => void this.addCandidate(p.lon, p.lat) } }, 'Placer comme candidat'),
        ),
      ),
    );
    this.mapView.setData('picks', {
      type: 'FeatureCollection',
      features: r.picks.map((p, i) => ({ type: 'Feature', properties: { rank: i + 1, id: p.id }, geometry: { type: 'Point', coordinates: [p.lon, p.lat] } })),
    });
  }

  // ---- actions ----

  async onMapClick(e: MapMouseEvent, hit: { layer: string; properties: Record<string, unknown> } | null): Promise<void> {
    if (hit?.layer === 'sites-circle') return this.openSitePopup(String(hit.properties.id));
    if (hit?.layer === 'candidates-circle') return this.openCandidatePopup(String(hit.properties.id));
    if (hit?.layer === 'picks-circle') return this.openPickPopup(String(hit.properties.id));
    await this.addCandidate(e.lngLat.lng, e.lngLat.lat, performance.now());
  }

  async addCandidate(lon: number, lat: number, t0 = performance.now()): Promise<void> {
    const c: UserCandidate = { id: `c${this.nextCandidate++}`, lon: round5(lon), lat: round5(lat) };
    this.state.scenario.added.push(c);
    const effect = await this.quick.addCandidate(c);
    const t1 = performance.now();
    this.effects.push(effect);
    this.lastEffect = effect;
    const el = byId('candidate-result');
    // Set again below, once this candidate's figures are on screen.
    delete el.dataset.latencyMs;
    // The figures first; the map's highlight and marker right after the frame that shows them.
    this.renderCandidates(false);
    const tDom = performance.now();
    await nextFrame();
    el.dataset.latencyMs = (performance.now() - t0).toFixed(1);
    el.dataset.computeMs = (t1 - t0).toFixed(1);
    el.dataset.workerMs = (effect.workerMs ?? NaN).toFixed(1);
    el.dataset.domMs = (tDom - t0).toFixed(1);
    this.renderCandidateMap();
    writeUrl(this.state, this.meta);
    this.scheduleRefresh();
  }

  async removeCandidate(id: string): Promise<void> {
    this.state.scenario.added = this.state.scenario.added.filter((c) => c.id !== id);
    this.effects = await this.quick.setScenario(this.state.scenario);
    if (this.lastEffect?.id === id) this.lastEffect = null;
    this.renderCandidates();
    writeUrl(this.state, this.meta);
    this.scheduleRefresh();
  }

  async clearCandidates(): Promise<void> {
    this.state.scenario.added = [];
    this.effects = await this.quick.setScenario(this.state.scenario);
    this.lastEffect = null;
    this.renderCandidates();
    writeUrl(this.state, this.meta);
    this.scheduleRefresh();
  }

  async closeSite(id: string): Promise<void> {
    if (this.state.scenario.closed.includes(id)) return;
    byId('closure-result').textContent = 'Calcul de la perte…';
    await this.ensureFresh();
    const loss = await this.full.closure(id);
    this.losses.set(id, loss);
    this.lastLoss = loss;
    this.state.scenario.closed.push(id);
    this.effects = await this.quick.setScenario(this.state.scenario);
    this.renderClosures();
    this.renderCandidates();
    this.updateSiteButtons();
    writeUrl(this.state, this.meta);
    this.scheduleRefresh(0);
  }

  async reopenSite(id: string): Promise<void> {
    this.state.scenario.closed = this.state.scenario.closed.filter((s) => s !== id);
    this.losses.delete(id);
    if (this.lastLoss?.siteId === id) this.lastLoss = null;
    this.effects = await this.quick.setScenario(this.state.scenario);
    this.renderClosures();
    this.renderCandidates();
    this.updateSiteButtons();
    writeUrl(this.state, this.meta);
    this.scheduleRefresh(0);
  }

  setThreshold(k: number): void {
    this.state.t = k;
    if (this.view) this.applyView(this.view);
    this.renderCandidates();
    this.renderClosures();
    byId('reco-run').textContent = `Recommander ${this.state.k} site${this.state.k > 1 ? 's' : ''}`;
    writeUrl(this.state, this.meta);
  }

  async recommend(): Promise<void> {
    const button = byId<HTMLButtonElement>('reco-run');
    const progress = byId<HTMLProgressElement>('reco-progress');
    const k = this.state.k;
    button.disabled = true;
    progress.hidden = false;
    progress.value = 0;
    byId('reco-result').textContent = 'Calcul en cours…';
    try {
      await this.ensureFresh();
      // access's planner on the full engine, cover sets on a pool of planning workers.
      const plan = await this.full.planStart(this.state.t);
      if (!this.pool) {
        const size = Math.max(1, Math.min(4, navigator.hardwareConcurrency || 2));
        this.pool = await createPool({
          size,
          workerFactory: () => new Worker(new URL('./cover.worker.ts', import.meta.url), { type: 'module', name: 'planning' }),
          init: plan.init,
        });
      }
      const n = plan.init.candLon.length;
      const items = Uint32Array.from({ length: n }, (_, i) => i);
      const chunkSize = Math.max(1, Math.min(64, Math.ceil(n / (8 * this.pool.size))));
      const parts = await this.pool.mapChunks<PackedCover>(items, chunkSize, 'cover', [plan.thresholdS, plan.uncovered], {
        onProgress: ({ done, total }) => {
          progress.value = done / total;
          progress.setAttribute('aria-valuetext', `${done} lieux sur ${total}`);
        },
      });
      this.reco = await this.full.planFinish(parts, k);
      this.renderReco();
    } catch (err) {
      byId('reco-result').textContent = `Le calcul a échoué : ${(err as Error).message}`;
      throw err;
    } finally {
      button.disabled = false;
      progress.hidden = true;
    }
  }

  async toggleArea(id: string): Promise<void> {
    if (this.areaSite === id) {
      this.areaSite = null;
      this.mapView.setData('area', { type: 'FeatureCollection', features: [] });
    } else {
      const i = this.siteIndex.get(id);
      if (i === undefined) return;
      this.areaSite = id;
      this.mapView.setData('area', await this.full.siteArea(this.sites.lon[i], this.sites.lat[i]));
    }
    this.updateSiteButtons();
  }

  selectSite(id: string): void {
    this.state.site = id || null;
    byId<HTMLSelectElement>('site-select').value = id;
    this.updateSiteButtons();
    writeUrl(this.state, this.meta);
  }

  showSite(id: string): void {
    const i = this.siteIndex.get(id);
    if (i === undefined) return;
    this.selectSite(id);
    this.mapView.map.easeTo({ center: [this.sites.lon[i], this.sites.lat[i]], zoom: Math.max(this.mapView.map.getZoom(), 10) });
    this.openSitePopup(id);
  }

  openSitePopup(id: string): void {
    const i = this.siteIndex.get(id);
    if (i === undefined) return;
    this.selectSite(id);
    const s = this.sites;
    const closed = this.state.scenario.closed.includes(id);
    const servedRow = this.view?.sites.find((x) => x.id === id);
    const hours = s.hours[i] ?? [];
    const content = h(
      'div',
      { class: 'popup', dataset: { siteId: id } },
      h('h3', {}, s.name[i]),
      h('p', {}, [s.format[i], s.type[i] === 'Antenne' ? 'antenne' : ''].filter(Boolean).join(', '), closed ? ' — fermé (simulation)' : ''),
      h('p', {}, [s.address[i], s.communeName[i]].filter(Boolean).join(', ')),
      h(
        'table',
        {},
        h('caption', { class: 'sr-only' }, 'Horaires d’ouverture'),
        h('tbody', {}, ...DAYS.map((d, j) => h('tr', {}, h('td', {}, d), h('td', {}, hours[j] ? hours[j] : 'fermé')))),
      ),
      servedRow ? h('p', {}, `Site le plus proche pour ${plural(servedRow.served, 'ménage')}.`) : null,
      h(
        'div',
        { class: 'row buttons' },
        h('button', { attrs: { type: 'button' }, on: { click: () => void this.toggleArea(id) } }, 'Zone à 20 et 30 min'),
        h('button', { attrs: { type: 'button' }, on: { click: () => void (closed ? this.reopenSite(id) : this.closeSite(id)) } }, closed ? 'Rouvrir' : 'Simuler la fermeture'),
      ),
    );
    this.mapView.popup([s.lon[i], s.lat[i]], content);
  }

  openCandidatePopup(id: string): void {
    const n = this.state.scenario.added.findIndex((c) => c.id === id);
    if (n < 0) return;
    const c = this.state.scenario.added[n];
    const e = this.effects[n];
    const content = h(
      'div',
      { class: 'popup' },
      h('h3', {}, `Site candidat ${n + 1}`),
      h('p', {}, frLonLat(c.lon, c.lat)),
      e ? h('p', {}, e.gains.map((g, i) => `${frGain(g.households)} ménages à ${this.meta.thresholdsMin[i]} min`).join(' ; ')) : null,
      h('div', { class: 'row buttons' }, h('button', { attrs: { type: 'button' }, on: { click: () => void this.removeCandidate(id) } }, 'Retirer')),
    );
    this.mapView.popup([c.lon, c.lat], content);
  }

  openPickPopup(id: string): void {
    const p = this.reco?.picks.find((x) => x.id === id);
    if (!p) return;
    const content = h(
      'div',
      { class: 'popup' },
      h('h3', {}, p.name || p.id),
      h('p', {}, [p.kind, p.communeName].filter(Boolean).join(', ')),
      h('p', {}, `${frGain(p.gain)} ménages à ${this.reco!.thresholdMin} min`),
      h('div', { class: 'row buttons' }, h('button', { attrs: { type: 'button' }, on: { click: () => void this.addCandidate(p.lon, p.lat) } }, 'Placer comme candidat')),
    );
    this.mapView.popup([p.lon, p.lat], content);
  }

  async exportFile(kind: string): Promise<void> {
    await this.ensureFresh();
    const text = await this.full.exportText(kind as Parameters<EngineApi['exportText']>[0]);
    const names: Record<string, [string, string]> = {
      'households-geojson': ['menages.geojson', 'application/geo+json'],
      'households-csv': ['menages.csv', 'text/csv'],
      'communes-csv': ['communes.csv', 'text/csv'],
      'gaps-geojson': ['zones-non-couvertes.geojson', 'application/geo+json'],
      'sites-geojson': ['sites.geojson', 'application/geo+json'],
      summary: ['summary.json', 'application/json'],
    };
    const [name, type] = names[kind];
    const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
    const a = h('a', { attrs: { href: url, download: `fs-access-${this.state.dep}-${name}` } });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  wire(): void {
    for (const input of document.querySelectorAll<HTMLInputElement>('input[name="threshold"]')) {
      input.checked = Number(input.value) === this.state.t;
      input.addEventListener('change', () => input.checked && this.setThreshold(Number(input.value)));
    }
    byId('add-center').addEventListener('click', () => {
      const c = this.mapView.map.getCenter();
      void this.addCandidate(c.lng, c.lat);
    });
    byId('clear-candidates').addEventListener('click', () => void this.clearCandidates());
    const kInput = byId<HTMLInputElement>('reco-k');
    kInput.value = String(this.state.k);
    const runButton = byId('reco-run');
    const syncK = () => {
      const k = Math.round(Number(kInput.value));
      if (Number.isInteger(k) && k >= 1 && k <= 10) this.state.k = k;
      runButton.textContent = `Recommander ${this.state.k} site${this.state.k > 1 ? 's' : ''}`;
      writeUrl(this.state, this.meta);
    };
    kInput.addEventListener('change', syncK);
    syncK();
    runButton.addEventListener('click', () => void this.recommend().catch(reportError));
    const select = byId<HTMLSelectElement>('site-select');
    select.addEventListener('change', () => this.selectSite(select.value));
    byId('site-show').addEventListener('click', () => select.value && this.showSite(select.value));
    byId('site-area').addEventListener('click', () => select.value && void this.toggleArea(select.value));
    byId('site-close').addEventListener('click', () => {
      if (!select.value) return;
      void (this.state.scenario.closed.includes(select.value) ? this.reopenSite(select.value) : this.closeSite(select.value));
    });
    const layers: [string, LayerGroup][] = [
      ['layer-households', 'households'],
      ['layer-sites', 'sites'],
      ['layer-gaps', 'gaps'],
      ['layer-communes', 'communes'],
    ];
    for (const [id, group] of layers) {
      const box = byId<HTMLInputElement>(id);
      box.addEventListener('change', () => this.mapView.setVisible(group, box.checked));
    }
    for (const b of document.querySelectorAll<HTMLButtonElement>('button[data-export]')) b.addEventListener('click', () => void this.exportFile(b.dataset.export!).catch(reportError));
    const tileInput = byId<HTMLInputElement>('tile-url');
    const saved = readTileSetting();
    if (saved) {
      tileInput.value = saved;
      this.mapView.setTiles(saved);
    }
    byId('tile-apply').addEventListener('click', () => {
      const url = tileInput.value.trim();
      if (!/^https:\/\/[^\s]+$/.test(url) || !url.includes('{z}') || !url.includes('{x}') || !url.includes('{y}')) {
        setStatus('Adresse de tuiles refusée : elle doit commencer par https:// et contenir {z}, {x} et {y}.');
        return;
      }
      this.mapView.setTiles(url);
      writeTileSetting(url);
    });
    byId('tile-remove').addEventListener('click', () => {
      this.mapView.setTiles(null);
      writeTileSetting(null);
      tileInput.value = '';
    });
  }
}

function swatch(color: string): HTMLElement {
  const s = h('span', { class: 'swatch', attrs: { 'aria-hidden': 'true' } });
  s.style.background = color;
  return s;
}

function dot(color: string, stroke: string): HTMLElement {
  const s = h('span', { class: 'dot', attrs: { 'aria-hidden': 'true' } });
  s.style.background = color;
  s.style.borderColor = stroke;
  return s;
}

function lineSwatch(color: string): HTMLElement {
  const s = h('span', { class: 'line-swatch', attrs: { 'aria-hidden': 'true' } });
  s.style.borderTopColor = color;
  return s;
}

function readTileSetting(): string | null {
  try {
    return localStorage.getItem(TILE_KEY);
  } catch {
    return null;
  }
}

function writeTileSetting(url: string | null): void {
  try {
    if (url) localStorage.setItem(TILE_KEY, url);
    else localStorage.removeItem(TILE_KEY);
  } catch {
    // Private browsing: the setting lasts for this page only.
  }
}

function reportError(err: unknown): void {
  setStatus(`Erreur : ${(err as Error)?.message ?? String(err)}`);
  console.error(err);
}

function engineWorker(name: string): Engine {
  return Comlink.wrap<EngineApi>(new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name }));
}

async function boot(): Promise<void> {
  const index = await fetchJson<DataIndex>(new URL('data/index.json', location.href).href);
  if (index.departements.length === 0) throw new Error('aucune donnée préparée : lancez « pnpm --filter @fs-access/map prepare-data »');
  const state = readUrl(index);
  const entry = index.departements.find((d) => d.code === state.dep)!;

  const depSelect = byId<HTMLSelectElement>('dep-select');
  fill(depSelect, ...index.departements.map((d) => h('option', { attrs: { value: d.code } }, `${d.code} — ${d.name}`)));
  depSelect.value = state.dep;
  depSelect.addEventListener('change', () => location.assign(`${location.pathname}?dep=${encodeURIComponent(depSelect.value)}`));

  performance.mark('fs:index');
  const base = new URL(`data/${state.dep}/`, location.href).href;
  const mapView = new MapView(byId('map'), { base, bbox: entry.bbox, kind: entry.kind });
  performance.mark('fs:map-created');
  void mapView.firstData.then(() => {
    performance.mark('fs:first-map');
    document.body.dataset.firstMapMs = performance.now().toFixed(0);
  });
  // The engines start once the first map is drawn (or after 4 s): on a two-core machine
  // they would otherwise compete with MapLibre's worker for the first tiles.
  const sitesJson = fetchJson<SitesJson>(base + 'sites.json');
  await Promise.race([mapView.firstData, new Promise((r) => setTimeout(r, 4000))]);
  const quick = engineWorker('engine-quick');
  const full = engineWorker('engine-full');
  const [q, , sites] = await Promise.all([quick.load(base), full.load(base), sitesJson]);
  performance.mark('fs:engines-loaded');
  const meta = q.meta;
  if (!meta.thresholdsMin[state.t]) state.t = 0;
  const [effects, view] = await Promise.all([quick.setScenario(state.scenario), full.refresh(state.scenario)]);
  performance.mark('fs:computed');
  const app = new App(state, meta, sites, quick, full, mapView, effects);
  app.wire();
  await app.start(view);
  writeUrl(state, meta);
  document.body.dataset.readyMs = performance.now().toFixed(0);
}

boot().catch(reportError);
