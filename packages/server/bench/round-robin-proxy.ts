/**
 * A TCP proxy on 127.0.0.1 that hands each new connection to the next of its targets in turn, as a
 * load balancer in front of several Weft nodes does (bench:scale). Connections are piped whole, so
 * a keep-alive connection stays with its node.
 */
import { connect, createServer, type Socket } from 'node:net';

export interface RoundRobinProxy {
  readonly url: string;
  close(): Promise<void>;
}

export async function startRoundRobinProxy(targetPorts: readonly number[]): Promise<RoundRobinProxy> {
  let next = 0;
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    return socket;
  };
  const server = createServer((client) => {
    const port = targetPorts[next++ % targetPorts.length] as number;
    const upstream = track(connect(port, '127.0.0.1'));
    track(client);
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
