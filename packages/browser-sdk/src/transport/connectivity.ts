import type { Connectivity } from '@weft/core';

/** The browser's online / offline signal: sending pauses while offline and resumes on `online`. */
export function createBrowserConnectivity(): Connectivity {
  return {
    isOnline: () => navigator.onLine !== false,
    onOnline(listener) {
      addEventListener('online', listener);
      return () => removeEventListener('online', listener);
    },
  };
}
