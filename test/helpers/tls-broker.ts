/** mosquitto on a TLS listener that requires a client certificate, with a throwaway CA made by openssl. */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMosquitto } from '../../scripts/lib/broker.mjs';
import { freePort, MOSQUITTO } from './peers';

export interface TestPki {
  ca: string;
  clientCert: string;
  clientKey: string;
  /** A CA that signed nothing here: trusting it must fail. */
  otherCa: string;
}

function openssl(dir: string, ...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
}

function makePki(dir: string): TestPki & { serverCert: string; serverKey: string } {
  const days = ['-days', '2'];
  openssl(dir, 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-subj', '/CN=hems test CA', ...days);
  openssl(dir, 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'other.key', '-out', 'other.crt', '-subj', '/CN=other CA', ...days);
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1\n');
  for (const who of ['server', 'client']) {
    openssl(dir, 'req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${who}.key`, '-out', `${who}.csr`, '-subj', `/CN=${who === 'server' ? '127.0.0.1' : 'hems'}`);
    openssl(dir, 'x509', '-req', '-in', `${who}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${who}.crt`, ...days,
      ...(who === 'server' ? ['-extfile', 'server.ext'] : []));
  }
  // mosquitto started as root reads its files as user "mosquitto": these test keys guard nothing.
  chmodSync(dir, 0o755);
  for (const file of readdirSync(dir)) chmodSync(join(dir, file), 0o644);
  const read = (f: string) => readFileSync(join(dir, f), 'utf8');
  return { ca: read('ca.crt'), otherCa: read('other.crt'), clientCert: read('client.crt'), clientKey: read('client.key'), serverCert: read('server.crt'), serverKey: read('server.key') };
}

export async function startTlsBroker(): Promise<{ port: number; pki: TestPki; stop(): Promise<void> }> {
  if (!MOSQUITTO) throw new Error('mosquitto is not installed');
  const dir = mkdtempSync(join(tmpdir(), 'hems-tls-'));
  const pki = makePki(dir);
  const port = await freePort();
  const broker = await startMosquitto('127.0.0.1', port, {
    binary: MOSQUITTO,
    settings: [`cafile ${join(dir, 'ca.crt')}`, `certfile ${join(dir, 'server.crt')}`, `keyfile ${join(dir, 'server.key')}`, 'require_certificate true', 'allow_anonymous true'],
  });
  return { port, pki, stop: () => broker.close() };
}
