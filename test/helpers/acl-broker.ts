/** mosquitto with per-user passwords and an ACL file: what docs/deployment.md sets up for many sites. */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startMosquitto } from '../../scripts/lib/broker.mjs';
import { MOSQUITTO, freePort } from './peers';

/** mosquitto_passwd ships with mosquitto (Debian installs it to /usr/bin, the broker to /usr/sbin). */
export const MOSQUITTO_PASSWD = ['/usr/bin/mosquitto_passwd', MOSQUITTO && join(dirname(MOSQUITTO), 'mosquitto_passwd')].find(
  (p): p is string => !!p && existsSync(p),
);

export async function startAclBroker(users: Record<string, string>, acl: string): Promise<{ port: number; stop(): Promise<void> }> {
  if (!MOSQUITTO || !MOSQUITTO_PASSWD) throw new Error('mosquitto and mosquitto_passwd are not installed');
  const dir = mkdtempSync(join(tmpdir(), 'hems-acl-'));
  const passwords = join(dir, 'passwords');
  writeFileSync(passwords, '');
  for (const [user, password] of Object.entries(users)) execFileSync(MOSQUITTO_PASSWD, ['-b', passwords, user, password], { stdio: 'ignore' });
  writeFileSync(join(dir, 'acl'), acl);
  // mosquitto started as root reads its files as user "mosquitto": these test passwords guard nothing.
  chmodSync(dir, 0o755);
  for (const file of readdirSync(dir)) chmodSync(join(dir, file), 0o644);
  const port = await freePort();
  const broker = await startMosquitto('127.0.0.1', port, {
    binary: MOSQUITTO,
    settings: ['allow_anonymous false', `password_file ${passwords}`, `acl_file ${join(dir, 'acl')}`],
  });
  return { port, stop: () => broker.close() };
}
