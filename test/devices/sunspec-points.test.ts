/** The point tables embedded in src/devices/sunspec/points.ts agree with the SunSpec model definitions (fixture copies). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SUNSPEC_MODELS } from '../../src/devices/sunspec/points';

interface JsonPoint {
  name: string;
  type: string;
  size: number;
  sf?: string;
  units?: string;
}

function layout(id: number) {
  const definition = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'sunspec-models', `model_${id}.json`), 'utf8'));
  const byOffset = new Map<number, JsonPoint>();
  const offsets = new Map<string, number>();
  let offset = 0;
  for (const point of definition.group.points as JsonPoint[]) {
    byOffset.set(offset, point);
    offsets.set(point.name, offset);
    offset += point.size;
  }
  return { byOffset, offsets };
}

describe.each(Object.entries(SUNSPEC_MODELS).map(([id, model]) => [Number(id), model] as const))('model %i', (id, model) => {
  const { byOffset, offsets } = layout(id);
  it.each(model.points.map((p) => [p.point, p.name, p] as const))('%s → %s', (_point, _name, p) => {
    const point = byOffset.get(p.offset);
    // Model 201 and the float meters name the phase-to-phase voltages PPVph… where 202-204 say PhVph….
    expect([p.point, p.point.replace('PhVph', 'PPVph')]).toContain(point?.name);
    expect(p.type).toBe(point!.type);
    expect(p.scaleFactorOffset).toBe(point!.sf ? offsets.get(point!.sf) : undefined);
    // Percent power factors go through the power_factor rule; energies in Wh become kWh.
    if (point!.units === 'Wh') expect(p.scale).toBe(0.001);
    if (point!.units === 'Pct' || point!.units === 'PF') expect(p.sign).toBe('power_factor');
  });
});
