#!/usr/bin/env node
/** `hems`: the engine and device profiles without the Node-RED editor. */
import { parseArgs } from 'node:util';
import { liveCommand } from './commands/live';
import { planCommand } from './commands/plan';
import { profilesCommand } from './commands/profiles';
import { scanCommand } from './commands/scan';
import { simulateCommand } from './commands/simulate';

const COMMANDS = { live: liveCommand, scan: scanCommand, profiles: profilesCommand, simulate: simulateCommand, plan: planCommand } as const;

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}\n             ${c.usage}`);
  return `usage: hems <command> [options]\n\n${lines.join('\n')}`;
}

export async function main(argv: string[], out: (line: string) => void, signal: AbortSignal): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === 'help') {
    out(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name as keyof typeof COMMANDS];
  if (!command) throw new Error(`unknown command "${name}"\n${usage()}`);
  if (rest.includes('--help')) {
    out(`hems ${name}: ${command.summary}\nusage: ${command.usage}`);
    return 0;
  }
  const { values } = parseArgs({ args: rest, options: command.options, strict: true });
  return command.run(values as never, out, signal);
}

if (require.main === module) {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  main(process.argv.slice(2), (line) => console.log(line), controller.signal).then(
    (code) => process.exit(code),
    (err: Error) => {
      console.error(`hems: ${err.message}`);
      process.exit(2);
    },
  );
}
