import { PROFILES } from '../../devices/profiles';

export const profilesCommand = {
  summary: 'list the device profiles and where their register facts come from',
  usage: 'hems profiles [--json]',
  options: { json: { type: 'boolean' } },
  async run(args: { json?: boolean }, out: (line: string) => void): Promise<number> {
    const profiles = Object.values(PROFILES);
    if (args.json) {
      out(JSON.stringify(profiles.map(({ id, manufacturer, model, description, source }) => ({ id, manufacturer, model, description, source }))));
      return 0;
    }
    for (const p of profiles) {
      out(`${p.id.padEnd(12)} ${p.manufacturer} ${p.model}: ${p.description}`);
      out(`${''.padEnd(12)} source: ${p.source}`);
    }
    return 0;
  },
} as const;
