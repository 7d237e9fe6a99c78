/**
 * Segment's clock-skew correction. A device's clock may be wrong, but the interval between its
 * own `timestamp` and `sentAt` is right; anchored on our `receivedAt` it gives the real time:
 * timestamp = receivedAt − (sentAt − originalTimestamp). All values are epoch milliseconds.
 */
export function correctTimestamp(input: {
  receivedAt: number;
  sentAt?: number | undefined;
  originalTimestamp?: number | undefined;
}): number {
  const { receivedAt, sentAt, originalTimestamp } = input;
  if (originalTimestamp === undefined) return receivedAt;
  if (sentAt === undefined) return originalTimestamp;
  return receivedAt - (sentAt - originalTimestamp);
}
