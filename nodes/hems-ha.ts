import { DiscoveryPublisher } from '../src/ha-discovery/publisher';
import { assertTopicId, topics } from '../src/ha-discovery/topics';
import { MqttConnection } from '../src/io/mqtt-connection';
import type { HaBridgeNode } from './lib/config-nodes';
import { numberProperty, type NodeAPI } from './lib/node-red';

interface HaConfig {
  name?: string;
  host: string;
  port: string | number;
  discoveryPrefix: string;
  baseTopic: string;
  keepalive: string | number;
}


/** HA re-reads nothing after its restart; wait a moment so HA has subscribed before we answer. */
const REPUBLISH_AFTER_BIRTH_MS = 1000;

export = function register(RED: NodeAPI): void {
  function HemsHaNode(this: HaBridgeNode, config: HaConfig) {
    RED.nodes.createNode(this, config);
    this.roots = {
      discoveryPrefix: String(config.discoveryPrefix || 'homeassistant').trim(),
      baseTopic: String(config.baseTopic || 'hems').trim(),
    };
    const ownedConfigs = new Map<string, string>();
    let birthTimer: NodeJS.Timeout | undefined;
    let connection: MqttConnection | undefined;
    const publishWhenConnected = (topic: string, payload: string, options: { retain: boolean; qos: 0 | 1 }) => {
      if (connection?.connected) connection.publish(topic, payload, options);
    };
    this.publisher = new DiscoveryPublisher(publishWhenConnected);

    try {
      this.roots.baseTopic.split('/').forEach((part) => assertTopicId('base topic part', part));
      assertTopicId('discovery prefix', this.roots.discoveryPrefix);
    } catch (err) {
      this.configError = `hems-ha "${config.name || this.id}": ${(err as Error).message}`;
      this.error(this.configError);
    }

    const bridgeStatus = topics.bridgeStatus(this.roots);
    let lastProblem: string | undefined;
    if (!this.configError) {
      connection = new MqttConnection(
        {
          host: String(config.host || '127.0.0.1').trim(),
          port: numberProperty(config.port, 1883),
          username: this.credentials?.user,
          password: this.credentials?.password,
          clientId: `hems_${this.roots.baseTopic.replace(/\W/g, '_')}_${Math.random().toString(16).slice(2, 10)}`,
          keepaliveSeconds: numberProperty(config.keepalive, 60),
          will: { topic: bridgeStatus, payload: 'offline' },
        },
        (state, detail) => {
          if (state === 'connected') {
            lastProblem = undefined;
            connection?.publish(bridgeStatus, 'online', { retain: true, qos: 1 });
            this.publisher.republishAll();
          } else if (state === 'disconnected' && detail !== lastProblem) {
            lastProblem = detail;
            this.warn(`MQTT ${detail ?? 'disconnected'}`);
          }
        },
      );
      connection.subscribe(topics.haStatus(this.roots), (_topic, payload) => {
        if (payload.trim() !== 'online') return;
        clearTimeout(birthTimer);
        birthTimer = setTimeout(() => this.publisher.republishAll(), REPUBLISH_AFTER_BIRTH_MS);
      });
    }

    this.registerDevice = (ownerId, message) => {
      ownedConfigs.set(ownerId, message.topic);
      this.publisher.publishConfig(message);
    };
    this.unregisterDevice = (ownerId, removed) => {
      const topic = ownedConfigs.get(ownerId);
      ownedConfigs.delete(ownerId);
      if (removed && topic) this.publisher.removeConfig(topic);
    };
    this.setDeviceAvailability = (deviceId, online) => {
      this.publisher.publishState(topics.deviceAvailability(this.roots, deviceId), online ? 'online' : 'offline');
    };

    this.on('close', (_removed: boolean, done: () => void) => {
      clearTimeout(birthTimer);
      if (!connection) return done();
      connection.end([{ topic: bridgeStatus, payload: 'offline' }]).then(done, done);
    });
  }
  RED.nodes.registerType('hems-ha', HemsHaNode, {
    credentials: { user: { type: 'text' }, password: { type: 'password' } },
  });
};
