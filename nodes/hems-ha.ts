import { HaBridge } from '../src/ha-discovery/bridge';
import { assertTopicId, type TopicRoots } from '../src/ha-discovery/topics';
import { MqttConnection } from '../src/io/mqtt-connection';
import { numberSetting } from '../src/settings/values';
import type { HaBridgeNode } from './lib/config-nodes';
import { registerNodeType, type NodeAPI } from './lib/node-red';

interface HaConfig {
  name?: string;
  host: string;
  port: string | number;
  tls?: boolean;
  tlsInsecure?: boolean;
  discoveryPrefix: string;
  baseTopic: string;
  keepalive: string | number;
}

function validRoots(config: HaConfig): TopicRoots {
  const roots = {
    discoveryPrefix: String(config.discoveryPrefix || 'homeassistant').trim(),
    baseTopic: String(config.baseTopic || 'hems').trim(),
  };
  roots.baseTopic.split('/').forEach((part) => assertTopicId('base topic part', part));
  assertTopicId('discovery prefix', roots.discoveryPrefix);
  return roots;
}

export = function register(RED: NodeAPI): void {
  function HemsHaNode(this: HaBridgeNode, config: HaConfig) {
    RED.nodes.createNode(this, config);
    let roots: TopicRoots;
    let port: number;
    let keepaliveSeconds: number;
    try {
      roots = validRoots(config);
      port = numberSetting(config.port, config.tls ? 8883 : 1883, 'port');
      keepaliveSeconds = numberSetting(config.keepalive, 60, 'keepalive (s)');
    } catch (err) {
      this.configError = `hems-ha "${config.name || this.id}": ${(err as Error).message}`;
      this.error(this.configError);
      this.on('close', (_removed: boolean, done: () => void) => done());
      return;
    }
    const credentials = this.credentials ?? {};
    let lastProblem: string | undefined;
    const connection = new MqttConnection(
      {
        host: String(config.host || '127.0.0.1').trim(),
        port,
        username: credentials.user,
        password: credentials.password,
        clientId: `hems_${roots.baseTopic.replace(/\W/g, '_')}_${Math.random().toString(16).slice(2, 10)}`,
        keepaliveSeconds,
        will: { topic: `${roots.baseTopic}/status`, payload: 'offline' },
        tls: config.tls
          ? { ca: credentials.ca, cert: credentials.cert, key: credentials.key, rejectUnauthorized: !config.tlsInsecure }
          : undefined,
      },
      (state, detail) => {
        if (state === 'connected') {
          if (lastProblem) this.log(`MQTT connected again`);
          lastProblem = undefined;
          this.bridge?.onConnected();
        } else if (state === 'disconnected' && detail !== lastProblem) {
          lastProblem = detail;
          this.warn(`MQTT ${detail ?? 'disconnected'}`);
        }
      },
      (warning) => this.warn(warning),
    );
    this.mqtt = connection;
    this.bridge = new HaBridge(roots, connection, { warn: (message) => this.warn(message) });

    this.on('close', (_removed: boolean, done: () => void) => {
      connection.end(this.bridge?.goodbye() ?? []).then(done, done);
    });
  }
  registerNodeType(RED, 'hems-ha', HemsHaNode, {
    credentials: {
      user: { type: 'text' },
      password: { type: 'password' },
      ca: { type: 'password' },
      cert: { type: 'password' },
      key: { type: 'password' },
    },
  });
};
