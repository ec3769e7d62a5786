/**
 * A small OSM XML reader for hand-written test fixtures and tiny extracts: it holds the
 * whole document in memory (use PBF for anything real). Understands <node>, <way> with
 * <nd ref> and <tag k v>, counts <relation>; entities &amp; &lt; &gt; &quot; &apos; and
 * numeric ones are decoded.
 */
import { OsmFormatError } from './errors.ts';
import type { WayView } from './pbf.ts';

export interface XmlData {
  nodeIds: Float64Array;
  lons: Float64Array;
  lats: Float64Array;
  ways: { id: number; tags: [string, string][]; refs: number[] }[];
  relations: number;
}

function decodeEntities(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (_, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[e];
  });
}

function attrs(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([A-Za-z_:][-\w:.]*)\s*=\s*("([^"]*)"|'([^']*)')/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) out[m[1]] = decodeEntities(m[3] ?? m[4] ?? '');
  return out;
}

/** Parses an OSM XML document. Throws OsmFormatError naming the line of the first bad element. */
export function parseOsmXml(text: string, file: string): XmlData {
  const lineAt = (pos: number) => {
    let line = 1;
    for (let i = text.indexOf('\n'); i >= 0 && i < pos; i = text.indexOf('\n', i + 1)) line++;
    return line;
  };
  const fail = (pos: number, detail: string) => new OsmFormatError(file, `line ${lineAt(pos)}`, detail);
  if (!/<osm[\s>]/.test(text)) throw fail(0, 'no <osm> element: not an OSM XML file');

  const nodeIds: number[] = [];
  const lons: number[] = [];
  const lats: number[] = [];
  const ways: XmlData['ways'] = [];
  let relations = 0;
  let way: XmlData['ways'][number] | null = null;
  let wayPos = 0;
  let inNode = false;
  const re = /<(\/?)(node|way|nd|tag|relation)\b([^>]*?)(\/?)>/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const [, closing, el, body, selfClosing] = m;
    if (closing) {
      if (el === 'way') {
        if (!way) throw fail(m.index, '</way> without <way>');
        ways.push(way);
        way = null;
      } else if (el === 'node') inNode = false;
      continue;
    }
    const a = attrs(body);
    if (el === 'node') {
      const id = Number(a.id);
      const lat = Number(a.lat);
      const lon = Number(a.lon);
      if (!Number.isInteger(id) || !(Math.abs(lat) <= 90) || !(Math.abs(lon) <= 180) || a.lat === undefined || a.lon === undefined) {
        throw fail(m.index, `node needs an integer id and lat/lon in range (got id="${a.id}" lat="${a.lat}" lon="${a.lon}")`);
      }
      nodeIds.push(id);
      lats.push(lat);
      lons.push(lon);
      inNode = !selfClosing;
    } else if (el === 'way') {
      if (way) throw fail(m.index, `way nested in way ${way.id} (missing </way>)`);
      const id = Number(a.id);
      if (!Number.isInteger(id)) throw fail(m.index, `way needs an integer id (got "${a.id}")`);
      way = { id, tags: [], refs: [] };
      wayPos = m.index;
      if (selfClosing) {
        ways.push(way);
        way = null;
      }
    } else if (el === 'nd') {
      if (!way) continue; // <nd> only means something inside a way
      const ref = Number(a.ref);
      if (!Number.isInteger(ref)) throw fail(m.index, `nd needs an integer ref (got "${a.ref}")`);
      way.refs.push(ref);
    } else if (el === 'tag') {
      if (a.k === undefined || a.v === undefined) throw fail(m.index, 'tag needs k and v');
      if (way) way.tags.push([a.k, a.v]);
      else if (!inNode) continue;
    } else if (el === 'relation') {
      relations++;
    }
  }
  if (way) throw fail(wayPos, `way ${way.id} is not closed`);
  return { nodeIds: Float64Array.from(nodeIds), lons: Float64Array.from(lons), lats: Float64Array.from(lats), ways, relations };
}

/** WayView over a parsed XML way (reused between ways). */
export class XmlWayView implements WayView {
  id = 0;
  tagCount = 0;
  refCount = 0;
  private tags: [string, string][] = [];
  private buf = new Float64Array(64);
  set(w: XmlData['ways'][number]): this {
    this.id = w.id;
    this.tags = w.tags;
    this.tagCount = w.tags.length;
    if (w.refs.length > this.buf.length) this.buf = new Float64Array(w.refs.length * 2);
    for (let i = 0; i < w.refs.length; i++) this.buf[i] = w.refs[i];
    this.refCount = w.refs.length;
    return this;
  }
  key(i: number): string {
    return this.tags[i][0];
  }
  value(i: number): string {
    return this.tags[i][1];
  }
  get(key: string): string | undefined {
    for (const [k, v] of this.tags) if (k === key) return v;
    return undefined;
  }
  refs(): Float64Array {
    return this.buf;
  }
}
