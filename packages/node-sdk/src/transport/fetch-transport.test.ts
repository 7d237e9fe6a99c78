import { createFetchTransport } from './fetch-transport.js';
import { testTransport } from './transport.contract.js';

testTransport('createFetchTransport', createFetchTransport);
