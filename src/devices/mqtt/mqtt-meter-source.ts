/**
 * One MQTT meter as the node sees it: which topics to subscribe, which measurements it gives, and
 * each message turned into values, availability or a problem. The formats are pure parsers; this
 * keeps the little state they need (the Shelly's last full status).
 */
import { parseGenericJson, validateValueTopic } from './generic-json';
import { applyShellyMessage, SHELLY_PROFILES, shellyFilters, shellyMeasurements, shellyValues, type ShellyProfile, type ShellyStatus } from './shelly-pro-3em';
import { parseChannelConfig, SMAPPEE_MEASUREMENTS, smappeeGroupValues, smappeeTopics, type SmappeeGroups } from './smappee-genius';
import { parseTasmotaMessage, TASMOTA_SML_DEFAULT_PATHS, tasmotaTopics } from './tasmota-sml';
import { validateValuePaths, type PickedValues, type ValuePath } from './value-paths';

export type MqttMeterFormat = 'shelly-pro-3em' | 'tasmota-sml' | 'smappee-genius' | 'json';

export interface MqttMeterSettings {
  format: MqttMeterFormat;
  /** Shelly topic prefix, Tasmota topic, Smappee `servicelocation/<uuid>`, or the JSON topic. */
  topic: string;
  shellyProfile?: ShellyProfile;
  /** Smappee: "grid", "solar" or a measured load's name, as the channel configuration names it. */
  channelGroup?: string;
  /** Tasmota and JSON: which field is which measurement (Tasmota: the example names when empty). */
  paths?: readonly ValuePath[];
}

export interface SourceUpdate {
  /** Every value known after this message, when it brought values. */
  reading?: PickedValues;
  online?: boolean;
  problem?: string;
}

export interface MqttMeterSource {
  readonly filters: readonly string[];
  /** The measurements this device gives; Home Assistant gets an entity for each. */
  readonly measurements: readonly string[];
  take(topic: string, payload: string): SourceUpdate;
}

function shellySource(settings: MqttMeterSettings): MqttMeterSource {
  const profile = settings.shellyProfile ?? 'triphase';
  if (!SHELLY_PROFILES.includes(profile)) throw new Error(`Shelly profile "${profile}" is not one of ${SHELLY_PROFILES.join(', ')}`);
  const prefix = settings.topic;
  let status: ShellyStatus = {};
  return {
    filters: shellyFilters(prefix),
    measurements: shellyMeasurements(profile),
    take(topic, payload) {
      const update = applyShellyMessage(status, profile, prefix, topic, payload);
      status = update.status;
      return { online: update.online, problem: update.problem, reading: update.changed ? shellyValues(status, profile, prefix) : undefined };
    },
  };
}

function tasmotaSource(settings: MqttMeterSettings): MqttMeterSource {
  const paths = settings.paths?.length ? settings.paths : TASMOTA_SML_DEFAULT_PATHS;
  validateValuePaths(paths);
  const topics = tasmotaTopics(settings.topic);
  return {
    filters: [topics.sensor, topics.lwt],
    measurements: paths.map((p) => p.measurement),
    take: (topic, payload) => parseTasmotaMessage(settings.topic, paths, topic, payload),
  };
}

/** Waits for the retained channel configuration, then reads the configured group from every realtime message. */
function smappeeSource(settings: MqttMeterSettings): MqttMeterSource {
  const group = (settings.channelGroup ?? '').trim().toLowerCase();
  if (!group) throw new Error('no channel group: enter grid, solar or the name of a measured load as the Smappee app shows it');
  const topics = smappeeTopics(settings.topic);
  let groups: SmappeeGroups | undefined;
  return {
    filters: [topics.channelConfig, topics.realtime],
    measurements: SMAPPEE_MEASUREMENTS,
    take(topic, payload) {
      if (topic === topics.channelConfig) {
        const config = parseChannelConfig(topic, payload);
        if ('problem' in config) return { problem: config.problem };
        groups = config.groups;
        return groups.has(group) ? {} : { problem: `the channel configuration has no group "${group}": choose one of ${[...groups.keys()].join(', ')}` };
      }
      if (topic !== topics.realtime) return {};
      if (!groups) return { problem: `waiting for the retained ${topics.channelConfig} to learn which channels are "${group}"` };
      const indexes = groups.get(group);
      if (!indexes) return { problem: `the channel configuration has no group "${group}": choose one of ${[...groups.keys()].join(', ')}` };
      const picked = smappeeGroupValues(topic, payload, group, indexes);
      return 'problem' in picked ? { problem: picked.problem } : { reading: picked.reading, online: true };
    },
  };
}

function jsonSource(settings: MqttMeterSettings): MqttMeterSource {
  const paths = settings.paths ?? [];
  validateValueTopic(settings.topic);
  validateValuePaths(paths);
  return {
    filters: [settings.topic],
    measurements: paths.map((p) => p.measurement),
    take: (topic, payload) => parseGenericJson(settings.topic, paths, topic, payload),
  };
}

/** A Shelly topic prefix or Tasmota topic: the device's own part of its topics. */
const DEVICE_TOPIC = /^[^/+#\s]+(\/[^/+#\s]+)*$/;

const SOURCES: Record<MqttMeterFormat, (settings: MqttMeterSettings) => MqttMeterSource> = {
  'shelly-pro-3em': shellySource,
  'tasmota-sml': tasmotaSource,
  'smappee-genius': smappeeSource,
  json: jsonSource,
};

/** Throws, naming the offending setting and the fix, when the settings cannot work. */
export function createMqttMeterSource(settings: MqttMeterSettings): MqttMeterSource {
  const create = SOURCES[settings.format];
  if (!create) throw new Error(`format "${settings.format}" is not one of ${Object.keys(SOURCES).join(', ')}`);
  if (settings.format !== 'json' && !DEVICE_TOPIC.test(settings.topic)) {
    throw new Error(`topic "${settings.topic}" is not a device topic: enter the device's own topic without "+", "#" or a leading or trailing "/" (e.g. shellypro3em-c8f09e8a1b2c, tasmota_sml or servicelocation/<uuid>)`);
  }
  return create(settings);
}
