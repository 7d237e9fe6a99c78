import { testQueue } from './queue.contract.js';
import { createQueue } from './queue.js';

testQueue('indexed queue', createQueue);
