/**
 * Home Assistant entities → the reading message (docs/architecture.md, "Reading"). Pure: the
 * node hands in the entities as last received. Units follow the entity's unit_of_measurement.
 */
import { MEASUREMENTS, type Quantity } from '../engine/measurements';
import { makeReading, type Reading } from '../engine/reading';

export interface EntityMapping {
  entity: string;
  /** A canonical measurement name (src/engine/measurements.ts). */
  measurement: string;
  /** For entities whose sign convention is the opposite of ours (e.g. grid power positive = export). */
  invert?: boolean;
}

/** The slice of an HA state we read. */
export interface EntityState {
  state: string;
  attributes: Record<string, unknown>;
}

/** Canonical unit → HA unit_of_measurement → factor. An entity without a unit is taken as canonical. */
const UNIT_FACTORS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  W: { W: 1, kW: 1000, MW: 1e6 },
  kWh: { Wh: 0.001, kWh: 1, MWh: 1000 },
  var: { var: 1, kvar: 1000 },
  VA: { VA: 1, kVA: 1000 },
  V: { V: 1, mV: 0.001, kV: 1000 },
  A: { A: 1, mA: 0.001 },
  Hz: { Hz: 1 },
  '%': { '%': 1 },
  kvarh: { varh: 0.001, kvarh: 1 },
  // Power factor is 0 … 1 here; HA's power_factor device class may state it in %.
  '': { '': 1, '%': 0.01 },
};

/** The canonical sign rules (shared/reference/measurements.md) that an HA entity may not follow. */
const CANONICAL_FORM: Partial<Record<Quantity, (value: number) => number>> = {
  current: Math.abs,
  power_factor: Math.abs,
};
/** PV never produces negative power; inverters report small negative noise at night. */
const NEVER_NEGATIVE = new Set(['pv_power_w']);

const ENTITY_ID = /^[a-z0-9_]+\.[a-z0-9_]+$/;

export function validateMappings(mappings: readonly EntityMapping[]): void {
  if (mappings.length === 0) throw new Error('no entities mapped: add at least one entity and the measurement it gives');
  const seen = new Set<string>();
  for (const { entity, measurement } of mappings) {
    if (!ENTITY_ID.test(entity)) {
      throw new Error(`entity id "${entity}" is not an HA entity id: use the form domain.object_id, like sensor.grid_power`);
    }
    if (!(measurement in MEASUREMENTS)) {
      throw new Error(`"${measurement}" (for ${entity}) is not a canonical measurement: pick one such as power_w or energy_import_kwh`);
    }
    if (seen.has(measurement)) throw new Error(`${measurement} is mapped twice: map each measurement from one entity`);
    seen.add(measurement);
  }
}

type EntityValue = { value: number } | { problem: string };

/** One entity's value in the canonical unit and sign, or why there is none. */
export function entityValue(mapping: EntityMapping, entity: EntityState | undefined): EntityValue {
  const { entity: entityId, measurement } = mapping;
  if (!entity) return { problem: `${entityId} does not exist in Home Assistant: check the entity id` };
  const raw = entity.state.trim() === '' ? Number.NaN : Number(entity.state);
  if (!Number.isFinite(raw)) return { problem: `${entityId} is "${entity.state}"` };
  const spec = MEASUREMENTS[measurement];
  const unit = entity.attributes.unit_of_measurement;
  const factor = typeof unit === 'string' ? UNIT_FACTORS[spec.unit]?.[unit] : 1;
  if (factor === undefined) {
    return { problem: `${entityId} is in "${String(unit)}", which hems cannot convert to ${spec.unit || 'a plain number'} for ${measurement}: map it to a measurement in that unit` };
  }
  let value = raw * factor * (mapping.invert ? -1 : 1);
  value = CANONICAL_FORM[spec.quantity]?.(value) ?? value;
  if (NEVER_NEGATIVE.has(measurement)) value = Math.max(0, value);
  // Unit factors like 0.001 leave float noise (1.2345000000000002); twelve significant digits is beyond any meter.
  return { value: Number(value.toPrecision(12)) };
}

export function entityReading(
  deviceId: string,
  mappings: readonly EntityMapping[],
  entities: ReadonlyMap<string, EntityState | undefined>,
  atMs: number,
): Reading {
  const values: Record<string, number> = {};
  const quality: Record<string, string> = {};
  for (const mapping of mappings) {
    const result = entityValue(mapping, entities.get(mapping.entity));
    if ('value' in result) values[mapping.measurement] = result.value;
    else quality[mapping.measurement] = result.problem;
  }
  return makeReading(deviceId, atMs, values, quality);
}
