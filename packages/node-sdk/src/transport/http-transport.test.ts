import { createHttpTransport } from './http-transport.js';
import { testTransport } from './transport.contract.js';

testTransport('createHttpTransport', (options) => createHttpTransport({ ...options, maxSockets: 2 }));
