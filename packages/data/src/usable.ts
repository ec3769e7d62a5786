/**
 * The file-level check run by the loaders after reading: rows are rejected one by one
 * ("nothing is lost"), but when the rejections show the file itself is wrong, a typed
 * error is better than a map drawn from what is left.
 */
import { UnusableInputError } from './errors.ts';
import type { Rejection } from './types.ts';

/** Reasons that, when they hit most rows, mean the coordinate columns are wrong. */
const COLUMN_PROBLEMS: Record<string, string> = {
  'swapped-lat-lon': 'latitude and longitude look exchanged: swap the two columns',
  'projected-coordinates': 'coordinates are projected metres (Lambert-93?), not WGS84 degrees: convert them to longitude/latitude in degrees (EPSG:4326)',
};

/**
 * Throws UnusableInputError when none of the records considered was usable, or when more
 * than half of them were rejected for the same coordinate-column reason. `accepted` and
 * the rejections are the records the load considered (filters applied); the message
 * names the file and line of the first rejection concerned.
 * @param what plural noun for the message ('sites', 'communes', 'cells').
 */
export function checkUsable(accepted: number, mine: readonly Rejection[], what: string): void {
  if (mine.length === 0) return;
  const total = accepted + mine.length;
  const reasons: Record<string, number> = {};
  for (const r of mine) reasons[r.reason] = (reasons[r.reason] ?? 0) + 1;
  for (const [reason, advice] of Object.entries(COLUMN_PROBLEMS)) {
    const n = reasons[reason] ?? 0;
    if (2 * n > total) {
      const first = mine.find((r) => r.reason === reason)!;
      throw new UnusableInputError(`${first.file}:${first.line}: ${n} of ${total} ${what} rejected as ${reason} (first: ${first.detail}); ${advice}`, first.file, first.line, reasons);
    }
  }
  if (accepted === 0) {
    const first = mine[0];
    const list = Object.entries(reasons)
      .map(([r, n]) => `${n} ${r}`)
      .join(', ');
    throw new UnusableInputError(`${first.file}:${first.line}: none of the ${total} ${what} is usable (${list}; first: ${first.reason}, ${first.detail})`, first.file, first.line, reasons);
  }
}
