// MQTT brokers for the demo, the tests and the benches: mosquitto when installed, the embedded
// aedes broker, and a probe that tells whether a broker already answers on a port (then the demo
// uses that one).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { Aedes } from 'aedes';

export async function brokerAnswers(host, port, timeoutMs = 1500) {
  return new Promise((resolve) => {
    const client = mqtt.connect({ host, port, connectTimeout: timeoutMs, reconnectPeriod: 0 });
    const finish = (answer) => {
      client.end(true);
      resolve(answer);
    };
    client.once('connect', () => finish(true));
    client.once('error', () => finish(false));
    client.once('close', () => finish(false));
  });
}

export async function startAedes(host, port) {
  const broker = await Aedes.createBroker();
  const server = net.createServer(broker.handle);
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return {
    name: 'aedes (embedded)',
    close: () =>
      new Promise((resolve) => {
        server.close(() => broker.close(() => resolve()));
        // Open client sockets would keep server.close waiting.
        for (const client of Object.values(broker.clients)) client.close();
      }),
  };
}

/** The mosquitto binary (Debian package mosquitto), or undefined when it is not installed. */
export function findMosquitto() {
  const onPath = spawnSync('sh', ['-c', 'command -v mosquitto'], { encoding: 'utf8' }).stdout.trim();
  return onPath || ['/usr/sbin/mosquitto', '/usr/local/sbin/mosquitto'].find((p) => existsSync(p));
}

function portAnswers(host, port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, host);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Starts mosquitto on host:port with nothing kept on disk; resolves once it accepts connections.
 * `settings` are further mosquitto.conf lines (anonymous by default; TLS, passwords and ACLs for
 * the tests that need them).
 */
export async function startMosquitto(host, port, { binary = findMosquitto(), timeoutMs = 10_000, settings = ['allow_anonymous true'] } = {}) {
  if (!binary) throw new Error('mosquitto is not installed (Debian package mosquitto)');
  const conf = join(mkdtempSync(join(tmpdir(), 'hems-mosquitto-')), 'mosquitto.conf');
  writeFileSync(conf, [`listener ${port} ${host}`, 'persistence false', ...settings, ''].join('\n'));
  const child = spawn(binary, ['-c', conf], { stdio: 'ignore' });
  const deadline = Date.now() + timeoutMs;
  while (!(await portAnswers(host, port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`mosquitto did not start on ${host}:${port} within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    name: 'mosquitto',
    pid: child.pid,
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}
