import { createMemoryStore } from './memory-store.js';
import { testQueueStore } from './store.contract.js';

testQueueStore('memory', { create: createMemoryStore });
