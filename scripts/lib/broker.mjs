// MQTT brokers for the demo and the tests: the embedded aedes broker, and a probe that tells
// whether a broker already answers on a port (then the demo uses that one).
import net from 'node:net';
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
