/** Colours of the map, shared by the layers and the legend. Blues: within 20 min; oranges and browns: beyond. */
export const TIME_BINS: { upTo: number; color: string; label: string }[] = [
  { upTo: 5, color: '#08519c', label: 'moins de 5 min' },
  { upTo: 10, color: '#3182bd', label: '5 à 10 min' },
  { upTo: 15, color: '#6baed6', label: '10 à 15 min' },
  { upTo: 20, color: '#b3d3e8', label: '15 à 20 min' },
  { upTo: 25, color: '#fdd49e', label: '20 à 25 min' },
  { upTo: 30, color: '#fc8d59', label: '25 à 30 min' },
  { upTo: 45, color: '#d7301f', label: '30 à 45 min' },
  { upTo: Infinity, color: '#7f0000', label: 'plus de 45 min' },
];
export const NO_SITE_COLOR = '#8c8c8c';

export const SITE_STYLES = {
  fixed: { color: '#111111', stroke: '#ffffff', radius: 6, label: 'Site fixe' },
  bus: { color: '#6a3d9a', stroke: '#ffffff', radius: 6, label: 'Bus ou site itinérant (à son point de rattachement)' },
  antenna: { color: '#ffffff', stroke: '#111111', radius: 4.5, label: 'Antenne' },
  candidate: { color: '#e7298a', stroke: '#ffffff', radius: 7, label: 'Site candidat (votre idée)' },
  pick: { color: '#1b9e77', stroke: '#111111', radius: 7, label: 'Site recommandé' },
};

export const GAP_COLOR = '#5c0a66';
export const GAIN_COLOR = '#e7298a';
export const LOSS_COLOR = '#111111';

/** MapLibre step expression: minutes (property t, feature-state t first; -1 = no site) → colour. */
export function timeColorExpression(): unknown[] {
  const expr: unknown[] = ['step', ['coalesce', ['feature-state', 't'], ['get', 't']], NO_SITE_COLOR, 0, TIME_BINS[0].color];
  for (let i = 1; i < TIME_BINS.length; i++) expr.push(TIME_BINS[i - 1].upTo, TIME_BINS[i].color);
  return expr;
}

/** Site symbol family of a France services record. */
export function siteKind(type: string, format: string): 'fixed' | 'bus' | 'antenna' | 'candidate' {
  if (format === 'Candidat') return 'candidate';
  if (type === 'Antenne') return 'antenna';
  if (format === 'Bus' || format === 'Itinérant') return 'bus';
  return 'fixed';
}

/** Minutes rounded to 0.1 for the colours; -1 when no site is reached. */
export function colourMinutes(m: number): number {
  return Number.isFinite(m) ? Math.round(m * 10) / 10 : -1;
}

/** Index of the colour class of `colourMinutes` (-1: no site), as the step expression picks it. */
export function timeClass(t: number): number {
  if (t < 0) return -1;
  for (let k = 0; k < TIME_BINS.length - 1; k++) if (t < TIME_BINS[k].upTo) return k;
  return TIME_BINS.length - 1;
}
