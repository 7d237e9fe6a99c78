import { testIdentityScenarios } from './identity-scenarios.contract.js';
import { createMemoryIdentityStore } from './memory-identity-store.js';
import { valuesOf } from './stamped-values.js';

testIdentityScenarios('memory store', () => {
  const store = createMemoryIdentityStore();
  return {
    store,
    profiles: () =>
      store.snapshot().map(({ profile, identifiers, companies }) => ({
        identifiers: identifiers.map((identifier) => `${identifier.type}:${identifier.value}`).sort(),
        traits: valuesOf(profile.traits),
        companies,
        eventCount: profile.eventCount,
        firstSeenAt: profile.firstSeenAt,
      })),
    merges: () => store.merges.length,
    companyTraits: (groupId) => {
      const traits = store.companyTraits(groupId);
      return traits && valuesOf(traits);
    },
  };
});
