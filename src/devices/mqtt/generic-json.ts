/** Any device that publishes JSON on one topic: one value path per canonical name. Pure. */
import { parseJson, pickValues, type PickedValues, type ValuePath } from './value-paths';

export function parseGenericJson(valueTopic: string, paths: readonly ValuePath[], topic: string, payload: string): { reading?: PickedValues; problem?: string } {
  if (topic !== valueTopic) return {};
  const parsed = parseJson(topic, payload);
  if ('problem' in parsed) return { problem: parsed.problem };
  return { reading: pickValues(parsed.json, paths, topic) };
}

/** A subscription topic for one device: wildcards would mix several devices into one reading. */
export function validateValueTopic(topic: string): void {
  if (topic.trim() === '') throw new Error('no topic: enter the topic the device publishes its JSON on');
  if (/[+#]/.test(topic)) throw new Error(`topic "${topic}" has a wildcard: enter the one topic of this device, e.g. meters/garage/state`);
}
