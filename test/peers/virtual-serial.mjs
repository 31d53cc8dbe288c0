// A virtual serial cable: two linked ptys made by socat, one end for a Modbus RTU device, the other
// for the master under test. Shared by the tests (test/helpers/peers.ts) and bench/modbus-poll.mjs.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The socat binary, or undefined when it is not installed. */
export function findSocat() {
  const onPath = spawnSync('sh', ['-c', 'command -v socat'], { encoding: 'utf8' }).stdout.trim();
  return onPath || ['/usr/bin/socat', '/usr/local/bin/socat'].find((p) => existsSync(p));
}

/**
 * Starts socat with two raw ptys linked as <dir>/device and <dir>/host (a fresh temp dir) and
 * resolves once both exist. `stop()` ends socat.
 * @returns {Promise<{ devicePath: string, hostPath: string, stop(): Promise<void> }>}
 */
export async function openVirtualSerialPair(socat = findSocat()) {
  if (!socat) throw new Error('socat is not installed (Debian: apt-get install socat)');
  const dir = mkdtempSync(join(tmpdir(), 'hems-serial-'));
  const devicePath = join(dir, 'device');
  const hostPath = join(dir, 'host');
  const child = spawn(socat, ['-d', '-d', `pty,raw,echo=0,link=${devicePath}`, `pty,raw,echo=0,link=${hostPath}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr.on('data', (d) => (log += d));
  const deadline = Date.now() + 5000;
  // socat says "starting data transfer loop" once both ptys are linked.
  while (!log.includes('starting data transfer loop')) {
    if (child.exitCode !== null) throw new Error(`socat exited: ${log}`);
    if (Date.now() > deadline) throw new Error(`socat did not link ${devicePath} and ${hostPath} within 5 s: ${log}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
  return { devicePath, hostPath, stop };
}
