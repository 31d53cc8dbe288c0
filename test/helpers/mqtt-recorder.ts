import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';

export interface Recorded {
  topic: string;
  payload: string;
  retain: boolean;
}

/** Subscribes to a broker and keeps the latest message per topic (as a retained view would). */
export class MqttRecorder {
  readonly latest = new Map<string, Recorded>();
  readonly all: Recorded[] = [];
  private constructor(readonly client: MqttClient) {
    client.on('message', (topic, payload, packet) => {
      const message = { topic, payload: payload.toString(), retain: packet.retain };
      this.all.push(message);
      this.latest.set(topic, message);
    });
  }

  static async connect(port: number, filters: string[], options: IClientOptions = {}): Promise<MqttRecorder> {
    const client = await mqtt.connectAsync({ host: '127.0.0.1', port, reconnectPeriod: 0, ...options });
    const recorder = new MqttRecorder(client);
    if (filters.length > 0) await client.subscribeAsync(filters, { qos: 1 });
    return recorder;
  }

  payload(topic: string): string | undefined {
    return this.latest.get(topic)?.payload;
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }
}
