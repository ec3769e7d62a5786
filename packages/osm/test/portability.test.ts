import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { CarGraph, buildCarGraph, route } from '../src/index.ts';
import { fixture } from './helpers.ts';

describe('browser-safe decoding', () => {
  it('only node-io.ts touches Node APIs (imported lazily, for path inputs)', () => {
    const dir = path.join(__dirname, '../src');
    for (const f of fs.readdirSync(dir)) {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      if (f === 'node-io.ts') continue;
      expect(text, f).not.toMatch(/from ['"]node:|require\(|process\.|Buffer\./);
      expect(text, f).not.toMatch(/import\(['"]node:/);
    }
    const source = fs.readFileSync(path.join(dir, 'source.ts'), 'utf8');
    expect(source).not.toMatch(/^import .*node-io/m); // dynamic import only
  });
});

describe('CarGraph.toParts / fromParts', () => {
  it('crosses a MessageChannel (structured clone with transfer) and routes the same', async () => {
    const g = await buildCarGraph(fixture('maxspeed.osm'));
    const before = route(g, [2.38, 48.85], [2.384, 48.85]);
    const { port1, port2 } = new MessageChannel();
    const received = new Promise<CarGraph>((resolve) => port2.once('message', (parts) => resolve(CarGraph.fromParts(parts))));
    port1.postMessage(g.toParts(), g.transferables());
    const h = await received;
    port1.close();
    port2.close();
    expect(h.stats).toEqual(g.stats);
    expect(g.edgeCoords.length).toBe(0); // transferred, not copied
    const after = route(h, [2.38, 48.85], [2.384, 48.85]);
    expect(after.timeS).toBe(before.timeS);
    expect(after.coordinates).toEqual(before.coordinates);
  });
});
