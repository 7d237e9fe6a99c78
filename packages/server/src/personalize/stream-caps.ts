/**
 * How many personalization streams may be open at once, per client address and in all: each holds
 * a socket and a place in the profile hub, and an attacker holding a publishable key could open
 * them without end. A pure counter; the route asks it before it opens a stream.
 */
export interface StreamCapSettings {
  /** Streams open from one client address at most (WEFT_PERSONALIZE_STREAMS_PER_ADDRESS). */
  readonly perAddress: number;
  /** Streams open in all at most (WEFT_PERSONALIZE_STREAMS). */
  readonly total: number;
}

export const DEFAULT_STREAM_CAPS: StreamCapSettings = { perAddress: 20, total: 2_000 };

export interface StreamCaps {
  /** A release function when there is room, or the reason there is none. */
  open(address: string): { ok: true; release: () => void } | { ok: false; message: string };
}

export function createStreamCaps(settings: StreamCapSettings): StreamCaps {
  const byAddress = new Map<string, number>();
  let total = 0;
  return {
    open(address) {
      const mine = byAddress.get(address) ?? 0;
      if (mine >= settings.perAddress) {
        return { ok: false, message: `${settings.perAddress} streams are open from this address already` };
      }
      if (total >= settings.total) return { ok: false, message: `${settings.total} streams are open already` };
      byAddress.set(address, mine + 1);
      total++;
      let isReleased = false;
      return {
        ok: true,
        release() {
          if (isReleased) return;
          isReleased = true;
          total--;
          const left = (byAddress.get(address) ?? 1) - 1;
          if (left === 0) byAddress.delete(address);
          else byAddress.set(address, left);
        },
      };
    },
  };
}
