import type { LeaseStore } from '../leases/lease-store.js';

/** How a server shares webhook endpoints with the others on one database (leases/). */
export interface DeliveryLeaseOptions {
  readonly store: LeaseStore;
  /** This server, among those sharing the database. */
  readonly holder: string;
  /** How long a lease lasts unrenewed (30 s by default): another server takes the endpoint over then. */
  readonly ttlMs?: number;
}

/** The endpoints this server delivers: each only while it holds the endpoint's lease. */
export interface DeliveryLeases {
  /** True while this server holds the endpoint's lease (taken, or renewed once a third of it has run); always without leases. */
  holds(endpointId: string): Promise<boolean>;
  /** Lets every lease this server holds go, so another may take the endpoints over at once. */
  releaseAll(): void;
}

/** The lease of one endpoint's delivery. */
export const deliveryLease = (endpointId: string) => `webhooks.deliver:${endpointId}`;

export function createDeliveryLeases(options: DeliveryLeaseOptions | undefined, now: () => number): DeliveryLeases {
  const ttlMs = options?.ttlMs ?? 30_000;
  /** When this server last took or renewed each endpoint's lease. */
  const renewedAt = new Map<string, number>();
  return {
    async holds(endpointId) {
      if (!options) return true;
      const last = renewedAt.get(endpointId);
      if (last !== undefined && now() - last < ttlMs / 3) return true;
      // Counted from before it was asked for: a slow answer does not stretch the lease past its end.
      const asked = now();
      const lease = await options.store.acquire(deliveryLease(endpointId), options.holder, ttlMs);
      if (lease === undefined) renewedAt.delete(endpointId);
      else renewedAt.set(endpointId, asked);
      return lease !== undefined;
    },
    releaseAll() {
      if (!options) return;
      for (const endpointId of renewedAt.keys()) {
        void options.store.release(deliveryLease(endpointId), options.holder).catch(() => undefined);
      }
      renewedAt.clear();
    },
  };
}
