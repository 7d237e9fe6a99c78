// Shared set-up for the delivery engine's tests: a real engine on fake time, a fake server, and
// every report it made.
import { vi } from 'vitest';
import { createSystemClock } from '../clock.js';
import type { SegmentEvent } from '../event/types.js';
import type { QueueStore } from '../queue/queue-store.js';
import { createDeliveryEngine, type DeliveryEngineConfig } from './delivery-engine.js';
import { type Answer, FakeServer, type ReceivedBatch } from './fake-server.test-support.js';
import type { DeliveryReport } from './reports.js';

export interface EngineFixture {
  engine: ReturnType<typeof createDeliveryEngine>;
  server: FakeServer;
  reports: DeliveryReport[];
  /** Queues `count` track events and returns their messageIds. */
  track(count: number, properties?: Record<string, unknown>): string[];
  droppedIds(code?: string): string[];
  deliveredIds(): string[];
}

let nextId = 0;

export function trackEvent(properties: Record<string, unknown> = {}): SegmentEvent {
  nextId++;
  return {
    type: 'track',
    event: 'Test Event',
    messageId: `msg-${String(nextId).padStart(7, '0')}`,
    timestamp: new Date(Date.now()).toISOString(),
    anonymousId: 'anon-1',
    context: {},
    properties,
  };
}

export function setupEngine(
  options: Partial<DeliveryEngineConfig> & {
    answer?: (request: ReceivedBatch, index: number) => Answer;
    store?: QueueStore;
  } = {},
): EngineFixture {
  const { answer, ...config } = options;
  const server = new FakeServer(answer);
  const reports: DeliveryReport[] = [];
  let seed = 0;
  const engine = createDeliveryEngine({
    transport: server,
    clock: createSystemClock(),
    // Deterministic "randomness": a fixed cycle through [0, 1).
    random: () => (seed = (seed + 0.37) % 1),
    onReport: (report) => reports.push(report),
    ...config,
  });
  return {
    engine,
    server,
    reports,
    track(count, properties) {
      return Array.from({ length: count }, () => {
        const result = engine.enqueue(trackEvent(properties));
        if (!result.ok) throw result.error;
        return result.messageId;
      });
    },
    droppedIds(code) {
      return reports.flatMap((report) =>
        report.type === 'dropped' && (code === undefined || report.reason.code === code)
          ? report.events.map((event) => event.messageId)
          : [],
      );
    },
    deliveredIds() {
      return reports.flatMap((report) => (report.type === 'delivered' ? report.messageIds : []));
    },
  };
}

export function useFakeTime(): void {
  vi.useFakeTimers({ now: new Date('2026-11-29T12:00:00.000Z') });
}

/** Flushes while fake time runs: every backoff and timeout in between passes at once. */
export async function flushOnFakeTime(engine: EngineFixture['engine']) {
  const flushed = engine.flush();
  await vi.runAllTimersAsync();
  return flushed;
}
