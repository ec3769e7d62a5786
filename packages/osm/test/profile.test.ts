import { describe, expect, it } from 'vitest';
import { carProfile, evaluateWay, parseMaxspeed, tagsOf, type CarProfile } from '../src/index.ts';

describe('parseMaxspeed (every documented form)', () => {
  const cases: [string | undefined, number | 'none' | null][] = [
    ['90', 90],
    [' 110 ', 110],
    ['90 km/h', 90],
    ['90kmh', 90],
    ['70 kph', 70],
    ['50 mph', 50 * 1.609344],
    ['30mph', 30 * 1.609344],
    ['10 knots', 18.52],
    ['FR:urban', 50],
    ['FR:rural', 80],
    ['FR:motorway', 130],
    ['FR:trunk', 110],
    ['FR:zone30', 30],
    ['FR:zone:30', 30],
    ['DE:zone20', 20],
    ['DE:urban', 50],
    ['DE:rural', 100],
    ['DE:motorway', 'none'], // no general limit on German motorways
    ['walk', 6],
    ['none', 'none'],
    ['50;30', 30], // a list: the minimum
    ['30;FR:urban', 30],
    ['signals;50', 50], // parts not understood are ignored
    ['none;90', 90],
    ['signals', null],
    ['variable', null],
    ['0', null],
    ['-30', null],
    ['fast', null],
    ['', null],
    [undefined, null],
  ];
  it.each(cases)('maxspeed=%s → %s', (raw, expected) => {
    const got = parseMaxspeed(raw);
    if (typeof expected === 'number') expect(got).toBeCloseTo(expected, 9);
    else expect(got).toBe(expected);
  });

  it("takes the maximum of a list when the profile says 'max'", () => {
    expect(parseMaxspeed('50;30', { ...carProfile, maxspeedList: 'max' })).toBe(50);
  });
});

describe('evaluateWay (car rules)', () => {
  const f = carProfile.speedFactor.default;
  const rule = (tags: Record<string, string>, profile?: CarProfile) => evaluateWay(tagsOf(tags), profile);
  type Dir = [forward: boolean, backward: boolean] | null;
  const dirCases: [string, Record<string, string>, Dir][] = [
    ['plain residential is two-way', { highway: 'residential' }, [true, true]],
    ['oneway=yes', { highway: 'residential', oneway: 'yes' }, [true, false]],
    ['oneway=1', { highway: 'residential', oneway: '1' }, [true, false]],
    ['oneway=true', { highway: 'residential', oneway: 'true' }, [true, false]],
    ['oneway=-1 reverses', { highway: 'residential', oneway: '-1' }, [false, true]],
    ['oneway=reversible is excluded', { highway: 'residential', oneway: 'reversible' }, null],
    ['oneway=alternating is excluded', { highway: 'residential', oneway: 'alternating' }, null],
    ['junction=roundabout implies oneway', { highway: 'primary', junction: 'roundabout' }, [true, false]],
    ['junction=circular implies oneway', { highway: 'primary', junction: 'circular' }, [true, false]],
    ['roundabout with oneway=no is two-way', { highway: 'primary', junction: 'roundabout', oneway: 'no' }, [true, true]],
    ['motorway implies oneway', { highway: 'motorway' }, [true, false]],
    ['motorway with oneway=no', { highway: 'motorway', oneway: 'no' }, [true, true]],
    ['motorway_link is not implied', { highway: 'motorway_link' }, [true, true]],
    ['access=private excluded', { highway: 'residential', access: 'private' }, null],
    ['access=no excluded', { highway: 'residential', access: 'no' }, null],
    ['motor_vehicle=no excluded', { highway: 'tertiary', motor_vehicle: 'no' }, null],
    ['motorcar=private excluded', { highway: 'tertiary', motorcar: 'private' }, null],
    ['access=destination allowed', { highway: 'residential', access: 'destination' }, [true, true]],
    ['access=no but motorcar=yes: the more specific tag wins', { highway: 'residential', access: 'no', motorcar: 'yes' }, [true, true]],
    ['access=yes but motor_vehicle=no', { highway: 'residential', access: 'yes', motor_vehicle: 'no' }, null],
    ['vehicle=no but motor_vehicle=yes', { highway: 'residential', vehicle: 'no', motor_vehicle: 'yes' }, [true, true]],
    ['motorcar:backward=no makes it one-way', { highway: 'residential', 'motorcar:backward': 'no' }, [true, false]],
    ['highway=construction excluded', { highway: 'construction', construction: 'residential' }, null],
    ['highway=proposed excluded', { highway: 'proposed' }, null],
    ['highway=footway excluded', { highway: 'footway' }, null],
    ['highway=track excluded', { highway: 'track' }, null],
    ['highway=cycleway excluded', { highway: 'cycleway' }, null],
    ['area=yes excluded', { highway: 'service', area: 'yes' }, null],
    ['service=emergency_access excluded', { highway: 'service', service: 'emergency_access' }, null],
    ['service=parking_aisle penalised, not excluded', { highway: 'service', service: 'parking_aisle' }, [true, true]],
    ['service=driveway penalised, not excluded', { highway: 'service', service: 'driveway' }, [true, true]],
    ['no highway tag', { building: 'yes' }, null],
  ];
  it.each(dirCases)('%s', (_label, tags, expected) => {
    const r = rule(tags);
    if (expected === null) expect(r).toBeNull();
    else expect(r && [r.forward, r.backward]).toEqual(expected);
  });

  const speedCases: [string, Record<string, string>, number, number][] = [
    ['class default × factor', { highway: 'primary' }, 80 * f, 80 * f],
    ['motorway factor', { highway: 'motorway' }, 130 * carProfile.speedFactor.motorway, 130 * carProfile.speedFactor.motorway],
    ['maxspeed number', { highway: 'primary', maxspeed: '70' }, 70 * f, 70 * f],
    ['maxspeed zone', { highway: 'residential', maxspeed: 'FR:zone30' }, 30 * f, 30 * f],
    ['maxspeed mph', { highway: 'primary', maxspeed: '50 mph' }, 50 * 1.609344 * f, 50 * 1.609344 * f],
    ['maxspeed=none → class default', { highway: 'motorway', maxspeed: 'none', oneway: 'no' }, 130 * 0.9, 130 * 0.9],
    ['unparsable maxspeed → class default', { highway: 'secondary', maxspeed: 'signals' }, 80 * f, 80 * f],
    ['capped at the profile maximum', { highway: 'motorway', maxspeed: '250' }, 130 * 0.9, 130 * 0.9],
    ['maxspeed:forward / :backward', { highway: 'primary', maxspeed: '90', 'maxspeed:backward': '50' }, 90 * f, 50 * f],
    ['service=parking_aisle capped at 10', { highway: 'service', service: 'parking_aisle', maxspeed: '30' }, 10 * f, 10 * f],
    ['maxspeed=walk', { highway: 'living_street', maxspeed: 'walk' }, 6 * f, 6 * f],
  ];
  it.each(speedCases)('speed: %s', (_label, tags, fwd, bwd) => {
    const r = rule(tags)!;
    expect(r.forwardKmh).toBeCloseTo(fwd, 9);
    expect(r.backwardKmh).toBeCloseTo(bwd, 9);
  });

  it('is driven by the profile data: a user profile can allow tracks and change speeds', () => {
    const custom: CarProfile = { ...carProfile, speeds: { ...carProfile.speeds, track: 15, residential: 30 } };
    expect(rule({ highway: 'track' }, custom)?.forwardKmh).toBeCloseTo(15 * f, 9);
    expect(rule({ highway: 'residential' }, custom)?.forwardKmh).toBeCloseTo(30 * f, 9);
    expect(rule({ highway: 'track' })).toBeNull();
  });

  it('every default speed is positive and every factor within (0, 1]', () => {
    for (const v of Object.values(carProfile.speeds)) expect(v).toBeGreaterThan(0);
    for (const v of Object.values(carProfile.speedFactor)) expect(v > 0 && v <= 1).toBe(true);
  });
});
