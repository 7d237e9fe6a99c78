/**
 * The settings analytics.js / analytics-next fetch from the CDN before sending anything. Pointing
 * their `cdnURL` at Weft makes them send events to `apiHost`, and their own telemetry too.
 */
export function buildSourceSettings(writeKey: string, publicUrl: string) {
  const url = new URL(publicUrl);
  const apiHost = `${url.host}${url.pathname.replace(/\/+$/, '')}/v1`;
  const protocol = url.protocol.replace(/:$/, '');
  return {
    integrations: { 'Segment.io': { apiKey: writeKey, apiHost, protocol } },
    plan: { track: { __default: { enabled: true, integrations: {} } }, identify: {}, group: {} },
    edgeFunction: {},
    analyticsNextEnabled: true,
    middlewareSettings: {},
    enabledMiddleware: {},
    metrics: { sampleRate: 0, host: apiHost },
    legacyVideoPluginsEnabled: false,
    remotePlugins: [],
  };
}
