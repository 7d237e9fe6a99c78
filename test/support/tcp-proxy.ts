import { createConnection, createServer, type Socket } from 'node:net';

export interface TcpProxy {
  close(): Promise<void>;
}

/**
 * Forwards 127.0.0.1:`listenPort` to 127.0.0.1:`targetPort`. A test points a client at a port
 * where nothing listens, then opens this proxy there: the same URL goes from unreachable to served.
 */
export async function startTcpProxy(listenPort: number, targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  const server = createServer((client) => {
    const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
    track(client);
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.once('error', () => upstream.destroy());
    upstream.once('error', () => client.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listenPort, '127.0.0.1', () => resolve());
  });
  return {
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
