/**
 * A conformance checker for Home Assistant MQTT discovery, written from the rules in
 * shared/reference/ha-mqtt-discovery.md (R1–R20 there). It expands abbreviations the way HA does
 * and reports everything HA would reject, drop, warn about or silently ignore.
 */

export interface Violation {
  rule: string;
  where: string;
  message: string;
}

const ENTITY_ABBREVIATIONS: Record<string, string> = {
  '~': '~', stat_t: 'state_topic', cmd_t: 'command_topic', cmd_tpl: 'command_template', val_tpl: 'value_template',
  stat_val_tpl: 'state_value_template', avty: 'availability', avty_t: 'availability_topic', avty_tpl: 'availability_template',
  avty_mode: 'availability_mode', pl_avail: 'payload_available', pl_not_avail: 'payload_not_available', dev: 'device',
  o: 'origin', cmps: 'components', p: 'platform', uniq_id: 'unique_id', obj_id: 'object_id', def_ent_id: 'default_entity_id',
  ic: 'icon', dev_cla: 'device_class', stat_cla: 'state_class', unit_of_meas: 'unit_of_measurement',
  sug_dsp_prc: 'suggested_display_precision', ent_cat: 'entity_category', en: 'enabled_by_default', exp_aft: 'expire_after',
  frc_upd: 'force_update', json_attr_t: 'json_attributes_topic', json_attr_tpl: 'json_attributes_template',
  lrst_val_tpl: 'last_reset_value_template', ops: 'options', pl_on: 'payload_on', pl_off: 'payload_off', stat_on: 'state_on',
  stat_off: 'state_off', pl_prs: 'payload_press', opt: 'optimistic', ret: 'retain', ptrn: 'pattern', e: 'encoding',
  migr_discvry: 'migrate_discovery', off_dly: 'off_delay',
};
const DEVICE_ABBREVIATIONS: Record<string, string> = {
  ids: 'identifiers', cns: 'connections', mf: 'manufacturer', mdl: 'model', mdl_id: 'model_id', hw: 'hw_version',
  sw: 'sw_version', sn: 'serial_number', sa: 'suggested_area', cu: 'configuration_url',
};
const ORIGIN_ABBREVIATIONS: Record<string, string> = { sw: 'sw_version', url: 'support_url' };
const AVAILABILITY_ABBREVIATIONS: Record<string, string> = { t: 'topic', pl_avail: 'payload_available', pl_not_avail: 'payload_not_available', val_tpl: 'value_template' };

const DEVICE_KEYS = new Set(['identifiers', 'connections', 'manufacturer', 'model', 'model_id', 'name', 'hw_version', 'sw_version', 'serial_number', 'suggested_area', 'configuration_url', 'via_device']);
const ORIGIN_KEYS = new Set(['name', 'sw_version', 'support_url']);
const AVAILABILITY_KEYS = new Set(['topic', 'payload_available', 'payload_not_available', 'value_template']);

export const SUPPORTED_COMPONENTS = new Set([
  'alarm_control_panel', 'binary_sensor', 'button', 'camera', 'climate', 'cover', 'device_automation', 'device_tracker', 'event',
  'fan', 'humidifier', 'image', 'lawn_mower', 'light', 'lock', 'notify', 'number', 'scene', 'select', 'sensor', 'siren',
  'switch', 'tag', 'text', 'update', 'vacuum', 'valve', 'water_heater',
]);

/** Options a device config may set once for all its components (SHARED_OPTIONS). */
const SHARED_OPTIONS = new Set([
  'availability', 'availability_mode', 'availability_template', 'availability_topic', 'command_topic', 'encoding',
  'message_expiry_interval', 'payload_available', 'payload_not_available', 'state_topic', 'qos',
]);

const ENTITY_COMMON = [
  'platform', 'name', 'unique_id', 'icon', 'entity_category', 'enabled_by_default', 'json_attributes_topic',
  'json_attributes_template', 'availability', 'availability_topic', 'availability_mode', 'availability_template',
  'payload_available', 'payload_not_available', 'device', 'origin', 'qos', 'encoding', 'object_id', 'default_entity_id', '~',
];
const PLATFORM_KEYS: Record<string, Set<string>> = {
  sensor: new Set([...ENTITY_COMMON, 'state_topic', 'value_template', 'device_class', 'state_class', 'unit_of_measurement', 'suggested_display_precision', 'expire_after', 'force_update', 'last_reset_value_template', 'options']),
  binary_sensor: new Set([...ENTITY_COMMON, 'state_topic', 'value_template', 'device_class', 'payload_on', 'payload_off', 'expire_after', 'force_update', 'off_delay']),
  switch: new Set([...ENTITY_COMMON, 'command_topic', 'command_template', 'state_topic', 'value_template', 'state_on', 'state_off', 'payload_on', 'payload_off', 'optimistic', 'retain', 'device_class']),
  select: new Set([...ENTITY_COMMON, 'command_topic', 'command_template', 'state_topic', 'value_template', 'options', 'optimistic', 'retain']),
  number: new Set([...ENTITY_COMMON, 'command_topic', 'command_template', 'state_topic', 'value_template', 'min', 'max', 'step', 'mode', 'unit_of_measurement', 'device_class', 'optimistic', 'retain', 'payload_reset']),
  button: new Set([...ENTITY_COMMON, 'command_topic', 'command_template', 'payload_press', 'device_class', 'retain']),
  text: new Set([...ENTITY_COMMON, 'command_topic', 'command_template', 'state_topic', 'value_template', 'min', 'max', 'mode', 'pattern', 'optimistic', 'retain']),
};
const REQUIRED_KEYS: Record<string, string[]> = {
  sensor: ['state_topic'], binary_sensor: ['state_topic'], switch: ['command_topic'], select: ['command_topic', 'options'],
  number: ['command_topic'], button: ['command_topic'], text: ['command_topic'],
};

/** sensor/const.py DEVICE_CLASS_UNITS for the classes this project uses (§8). undefined = no unit. */
const DEVICE_CLASS_UNITS: Record<string, Array<string | undefined>> = {
  power: ['mW', 'W', 'kW', 'MW', 'GW', 'TW'],
  energy: ['Wh', 'kWh', 'MWh', 'GWh', 'TWh', 'J', 'kJ', 'MJ', 'GJ', 'cal', 'kcal', 'Mcal', 'Gcal', 'mWh'],
  voltage: ['V', 'mV', 'µV', 'kV', 'MV'],
  current: ['A', 'mA'],
  frequency: ['Hz', 'kHz', 'MHz', 'GHz'],
  apparent_power: ['VA', 'kVA'],
  reactive_power: ['var', 'kvar', 'mvar'],
  battery: ['%'],
  power_factor: ['%', undefined],
  temperature: ['°C', '°F', 'K'],
  duration: ['d', 'h', 'min', 's', 'ms', 'µs'],
  // UnitOfVolume subsets HA accepts for meters of water and gas (sensor/const.py).
  water: ['L', 'gal', 'm³', 'ft³', 'CCF'],
  gas: ['m³', 'ft³', 'CCF'],
  enum: [undefined],
  timestamp: [undefined],
};
const DEVICE_CLASS_STATE_CLASSES: Record<string, Array<string | undefined>> = {
  power: ['measurement'], voltage: ['measurement'], current: ['measurement'], frequency: ['measurement'],
  apparent_power: ['measurement'], reactive_power: ['measurement'], battery: ['measurement'], power_factor: ['measurement'],
  temperature: ['measurement'], energy: ['total', 'total_increasing'], duration: ['measurement', 'total', 'total_increasing'],
  water: ['total', 'total_increasing'], gas: ['total', 'total_increasing'],
  enum: [undefined], timestamp: [undefined],
};
const NUMERIC_DEVICE_CLASSES = new Set(Object.keys(DEVICE_CLASS_UNITS).filter((c) => c !== 'enum' && c !== 'timestamp'));
/** A timestamp sensor's state: ISO 8601 with a zone (HA's parse_datetime), or "None" for no time. */
const ISO_WITH_ZONE = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/;
const ID = /^[a-zA-Z0-9_-]+$/;

type Json = Record<string, unknown>;

function expand(obj: Json, table: Record<string, string>): Json {
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [table[k] ?? k, v]));
}

function expandEntity(raw: Json): Json {
  const e = expand(raw, ENTITY_ABBREVIATIONS);
  if (e.device && typeof e.device === 'object') e.device = expand(e.device as Json, DEVICE_ABBREVIATIONS);
  if (e.origin && typeof e.origin === 'object') e.origin = expand(e.origin as Json, ORIGIN_ABBREVIATIONS);
  if (Array.isArray(e.availability)) e.availability = e.availability.map((a) => expand(a as Json, AVAILABILITY_ABBREVIATIONS));
  return e;
}

class Report {
  readonly violations: Violation[] = [];
  add(rule: string, where: string, message: string): void {
    this.violations.push({ rule, where, message });
  }
}

function checkOrigin(report: Report, where: string, origin: unknown): void {
  if (!origin || typeof origin !== 'object') return report.add('R5', where, 'origin must be an object');
  const o = origin as Json;
  if (typeof o.name !== 'string' || !o.name) report.add('R5', where, 'origin needs a name');
  if (o.support_url !== undefined && !/^https?:\/\/\S+$/.test(String(o.support_url))) report.add('R5', where, 'origin support_url is not a URL');
  for (const key of Object.keys(o)) if (!ORIGIN_KEYS.has(key)) report.add('R18', where, `unknown origin key "${key}"`);
}

function checkDevice(report: Report, where: string, device: unknown): void {
  if (!device || typeof device !== 'object') return report.add('R6', where, 'device must be an object');
  const d = device as Json;
  const ids = d.identifiers;
  const hasIds = typeof ids === 'string' ? ids.length > 0 : Array.isArray(ids) && ids.length > 0;
  if (!hasIds && !(Array.isArray(d.connections) && d.connections.length > 0)) report.add('R6', where, 'device needs identifiers or connections');
  for (const key of Object.keys(d)) if (!DEVICE_KEYS.has(key)) report.add('R18', where, `unknown device key "${key}"`);
}

function checkAvailability(report: Report, where: string, e: Json): void {
  if (e.availability !== undefined && e.availability_topic !== undefined) report.add('R17', where, 'availability and availability_topic are exclusive');
  if (e.availability !== undefined) {
    if (!Array.isArray(e.availability)) return report.add('R4', where, 'availability must be a list');
    for (const a of e.availability as Json[]) {
      if (typeof a.topic !== 'string' || !a.topic) report.add('R4', where, 'availability item without topic');
      for (const key of Object.keys(a)) if (!AVAILABILITY_KEYS.has(key)) report.add('R18', where, `unknown availability key "${key}"`);
    }
  }
  if (e.availability_mode !== undefined && !['all', 'any', 'latest'].includes(String(e.availability_mode))) {
    report.add('R4', where, `availability_mode "${e.availability_mode}" is not all, any or latest`);
  }
}

function checkSensor(report: Report, where: string, e: Json): void {
  const cls = e.device_class as string | undefined;
  const unit = e.unit_of_measurement as string | undefined;
  if (cls && DEVICE_CLASS_UNITS[cls] && !DEVICE_CLASS_UNITS[cls].includes(unit)) {
    report.add('R8', where, `unit "${unit}" is not valid with device class "${cls}"`);
  }
  if (cls && DEVICE_CLASS_STATE_CLASSES[cls] && !DEVICE_CLASS_STATE_CLASSES[cls].includes(e.state_class as string | undefined)) {
    report.add('R14', where, `state class "${e.state_class}" is impossible for device class "${cls}"`);
  }
  if (e.state_class !== undefined && !['measurement', 'measurement_angle', 'total', 'total_increasing'].includes(String(e.state_class))) {
    report.add('R9', where, `unknown state class "${e.state_class}"`);
  }
  if (e.options !== undefined) {
    if (!Array.isArray(e.options) || e.options.length === 0) report.add('R10', where, 'options must be a non-empty list');
    if (e.state_class !== undefined || e.unit_of_measurement !== undefined) report.add('R10', where, 'options exclude state_class and unit');
    if (cls !== undefined && cls !== 'enum') report.add('R10', where, 'options need device class enum');
  }
  if (e.last_reset_value_template !== undefined && e.state_class !== 'total') report.add('R11', where, 'last_reset needs state class total');
  const precision = e.suggested_display_precision;
  if (precision !== undefined && !(Number.isInteger(precision) && (precision as number) >= 0)) report.add('R4', where, 'suggested_display_precision must be a whole number ≥ 0');
}

function checkNumber(report: Report, where: string, e: Json): void {
  const min = (e.min as number | undefined) ?? 0;
  const max = (e.max as number | undefined) ?? 100;
  const step = (e.step as number | undefined) ?? 1;
  if (!(max > min)) report.add('R15', where, `max ${max} must be greater than min ${min}`);
  if (!(step >= 0.001)) report.add('R15', where, `step ${step} must be at least 0.001`);
  if (e.mode !== undefined && !['auto', 'box', 'slider'].includes(String(e.mode))) report.add('R4', where, `mode "${e.mode}" is not auto, box or slider`);
  const cls = e.device_class as string | undefined;
  if (cls && DEVICE_CLASS_UNITS[cls] && !DEVICE_CLASS_UNITS[cls].includes(e.unit_of_measurement as string | undefined)) {
    report.add('R8', where, `unit "${e.unit_of_measurement}" is not valid with device class "${cls}"`);
  }
}

function checkText(report: Report, where: string, e: Json): void {
  const min = (e.min as number | undefined) ?? 0;
  const max = (e.max as number | undefined) ?? 255;
  if (max > 255) report.add('R16', where, `max ${max} is above 255`);
  if (!(min < max)) report.add('R16', where, `min ${min} must be below max ${max}`);
  if (e.pattern !== undefined) {
    try {
      new RegExp(String(e.pattern));
    } catch {
      report.add('R16', where, `pattern "${e.pattern}" is not a valid regex`);
    }
  }
}

const PLATFORM_CHECKS: Record<string, (report: Report, where: string, e: Json) => void> = {
  sensor: checkSensor,
  number: checkNumber,
  text: checkText,
  select: (report, where, e) => {
    if (Array.isArray(e.options) && e.options.length < 2) report.add('R4', where, 'select needs at least 2 options');
    if (Array.isArray(e.options) && new Set(e.options).size !== e.options.length) report.add('R4', where, 'select options repeat');
  },
};

function checkEntity(report: Report, where: string, e: Json, platform: string): void {
  const known = PLATFORM_KEYS[platform];
  if (!known) return report.add('R2', where, `platform "${platform}" is not checked here or not supported`);
  for (const key of Object.keys(e)) if (!known.has(key)) report.add('R18', where, `unknown key "${key}" for ${platform}`);
  for (const key of REQUIRED_KEYS[platform] ?? []) if (e[key] === undefined) report.add('R4', where, `${platform} needs ${key}`);
  if (typeof e.unique_id !== 'string' || !e.unique_id) report.add('R19', where, 'entity without unique_id');
  if (e.icon !== undefined && !/^mdi:[a-z0-9-]+$/.test(String(e.icon))) report.add('R4', where, `icon "${e.icon}" is not mdi:name`);
  if (e.entity_category !== undefined && !['config', 'diagnostic'].includes(String(e.entity_category))) report.add('R4', where, `entity_category "${e.entity_category}"`);
  if (e.qos !== undefined && ![0, 1, 2].includes(e.qos as number)) report.add('R4', where, `qos ${e.qos}`);
  if (e.name !== null && e.name !== undefined && typeof e.name !== 'string') report.add('R4', where, 'name must be text or null');
  checkAvailability(report, where, e);
  PLATFORM_CHECKS[platform]?.(report, where, e);
}

/** Checks one retained discovery message (topic and raw payload) as HA would process it. */
export function checkDiscovery(topic: string, payload: string, discoveryPrefix = 'homeassistant'): Violation[] {
  const report = new Report();
  const parts = topic.split('/');
  if (parts[0] !== discoveryPrefix || parts.at(-1) !== 'config' || parts.length < 4 || parts.length > 5 || parts.slice(2, -1).some((p) => !ID.test(p))) {
    report.add('R1', topic, 'not a discovery topic HA matches');
    return report.violations;
  }
  if (payload === '') return report.violations; // removal
  let raw: unknown;
  try {
    raw = JSON.parse(payload);
  } catch {
    report.add('R3', topic, 'payload is not JSON');
    return report.violations;
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    report.add('R3', topic, 'payload is not a JSON object');
    return report.violations;
  }
  const component = parts[1];
  const top = expandEntity(raw as Json);
  if (component === 'device') {
    if (top.device === undefined || top.origin === undefined || top.components === undefined) report.add('R7', topic, 'device discovery needs device, origin and components');
    checkOrigin(report, topic, top.origin);
    checkDevice(report, topic, top.device);
    for (const key of Object.keys(top)) {
      if (!['device', 'origin', 'components', 'migrate_discovery', '~'].includes(key) && !SHARED_OPTIONS.has(key)) report.add('R18', topic, `unknown device-level key "${key}"`);
    }
    const shared = Object.fromEntries(Object.entries(top).filter(([k]) => SHARED_OPTIONS.has(k)));
    const cmps = (top.components ?? {}) as Record<string, Json>;
    for (const [id, rawComponent] of Object.entries(cmps)) {
      const where = `${topic} cmps.${id}`;
      if (!ID.test(id)) report.add('R1', where, 'component id has characters HA does not accept');
      const c = expandEntity(rawComponent);
      if (typeof c.platform !== 'string' || !SUPPORTED_COMPONENTS.has(c.platform)) {
        report.add('R7', where, `platform "${c.platform}" missing or not supported`);
        continue;
      }
      if (Object.keys(c).length === 1) continue; // platform only: removes the component
      checkEntity(report, where, { ...shared, ...c }, c.platform);
    }
    return report.violations;
  }
  if (!SUPPORTED_COMPONENTS.has(component)) {
    report.add('R2', topic, `component "${component}" is not supported`);
    return report.violations;
  }
  if (top.origin !== undefined) checkOrigin(report, topic, top.origin);
  if (top.device !== undefined) checkDevice(report, topic, top.device);
  checkEntity(report, topic, top, component);
  return report.violations;
}

/** Checks a state payload against the entity that shows it (R13, R20). */
export function checkState(component: Json, payload: string): string | undefined {
  const e = expandEntity(component);
  const platform = e.platform as string;
  if (platform === 'sensor') {
    const numeric = e.state_class !== undefined || e.unit_of_measurement !== undefined || NUMERIC_DEVICE_CLASSES.has(String(e.device_class));
    if (numeric && !Number.isFinite(Number(payload))) return `non-numeric state "${payload}" on a numeric sensor`;
    if (Array.isArray(e.options) && !e.options.includes(payload)) return `"${payload}" is not one of the sensor's options`;
    if (e.device_class === 'timestamp' && payload !== 'None' && !ISO_WITH_ZONE.test(payload)) return `"${payload}" is not an ISO time with a zone on a timestamp sensor`;
  }
  if (platform === 'select' && !(e.options as string[]).includes(payload)) return `"${payload}" is not one of the select's options`;
  if (platform === 'binary_sensor' || platform === 'switch') {
    const allowed = [e.state_on ?? e.payload_on ?? 'ON', e.state_off ?? e.payload_off ?? 'OFF'];
    if (!allowed.includes(payload)) return `"${payload}" is neither ${allowed.join(' nor ')}`;
  }
  if (platform === 'number' && !Number.isFinite(Number(payload))) return `"${payload}" is not a number`;
  return undefined;
}

/**
 * Keys HA ignores in a json_attributes payload (MQTT_ATTRIBUTES_BLOCKED, homeassistant/components/mqtt/entity.py):
 * they would clash with the entity's own properties.
 */
export const BLOCKED_ATTRIBUTES = new Set([
  'assumed_state', 'available', 'context_recent_time', 'device_class', 'device_info', 'entity_category', 'entity_picture',
  'entity_registry_enabled_default', 'extra_state_attributes', 'force_update', 'friendly_name', 'icon', 'name', 'should_poll',
  'state', 'supported_features', 'unique_id', 'unit_of_measurement',
]);
/** MAX_STATE_ATTRS_BYTES (homeassistant/components/recorder/db_schema.py): above it the recorder keeps none of a state's attributes and logs a warning. */
export const RECORDER_MAX_ATTRIBUTES_BYTES = 16_384;

/** Checks a json_attributes payload: a JSON object HA takes whole, with no ignored key, small enough to be recorded. */
export function checkAttributes(payload: string): Violation[] {
  const report = new Report();
  let raw: unknown;
  try {
    raw = JSON.parse(payload);
  } catch {
    report.add('R3', 'attributes', 'payload is not JSON');
    return report.violations;
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    report.add('R3', 'attributes', 'payload is not a JSON object: HA ignores it');
    return report.violations;
  }
  for (const key of Object.keys(raw)) if (BLOCKED_ATTRIBUTES.has(key)) report.add('R18', 'attributes', `key "${key}" is one HA ignores in json_attributes`);
  const bytes = new TextEncoder().encode(payload).length;
  if (bytes > RECORDER_MAX_ATTRIBUTES_BYTES) report.add('recorder', 'attributes', `${bytes} bytes: above ${RECORDER_MAX_ATTRIBUTES_BYTES} the recorder stores none of them`);
  return report.violations;
}
