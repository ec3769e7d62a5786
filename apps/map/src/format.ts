/** Numbers for the interface, formatted for fr-FR (narrow no-break spaces, decimal comma). */
const intFmt = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 });
const dec1 = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const pctFmt = new Intl.NumberFormat('fr-FR', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** 165179.03 → "165 179". */
export const frInt = (x: number | null | undefined): string => (x === null || x === undefined || !Number.isFinite(x) ? '–' : intFmt.format(Math.round(x)));
/** 0.97489 → "97,5 %". */
export const frPct = (x: number | null | undefined): string => (x === null || x === undefined || !Number.isFinite(x) ? '–' : pctFmt.format(x));
/** 25.19 → "25,2 min". */
export const frMin = (x: number | null | undefined): string => (x === null || x === undefined || !Number.isFinite(x) ? 'injoignable' : `${dec1.format(x)}\u00a0min`);
/** Signed households: "+1 234". */
export const frGain = (x: number): string => (x > 0 ? `+${frInt(x)}` : frInt(x));
/** Coordinates for display: "45,83412 N, 1,26104 E". */
export const frLonLat = (lon: number, lat: number): string => {
  const f = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 5, maximumFractionDigits: 5 });
  return `${f.format(Math.abs(lat))}\u00a0${lat >= 0 ? 'N' : 'S'}, ${f.format(Math.abs(lon))}\u00a0${lon >= 0 ? 'E' : 'O'}`;
};
/** "1 ménage", "2 ménages". */
export const plural = (x: number, word: string, plural = `${word}s`): string => `${frInt(x)}\u00a0${Math.round(x) === 1 || Math.round(x) === 0 ? word : plural}`;
