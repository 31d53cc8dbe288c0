import { OTHER_SOURCES } from '../../devices/other-sources';
import { PROFILES } from '../../devices/profiles';

export const profilesCommand = {
  summary: 'list the device profiles and the other sources (MQTT formats, relay outputs) and where their facts come from',
  usage: 'hems profiles [--json]',
  options: { json: { type: 'boolean' } },
  async run(args: { json?: boolean }, out: (line: string) => void): Promise<number> {
    const profiles = Object.values(PROFILES).map(({ id, manufacturer, model, description, source }) => ({ id, node: 'hems-meter', manufacturer, model, description, source }));
    const all = [...profiles, ...OTHER_SOURCES];
    if (args.json) {
      out(JSON.stringify(all));
      return 0;
    }
    out('Modbus profiles (hems-meter, hems live --profile ID):');
    for (const p of profiles) {
      out(`${p.id.padEnd(16)} ${p.manufacturer} ${p.model}: ${p.description}`);
      out(`${''.padEnd(16)} source: ${p.source}`);
    }
    out('');
    out('Other sources:');
    for (const s of OTHER_SOURCES) {
      out(`${s.id.padEnd(16)} ${s.manufacturer} ${s.model} (${s.node}): ${s.description}`);
      out(`${''.padEnd(16)} source: ${s.source}`);
    }
    return 0;
  },
} as const;
