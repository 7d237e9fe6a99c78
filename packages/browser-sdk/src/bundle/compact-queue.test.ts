import { testQueue } from '../../../core/src/queue/queue.contract.js';
import { createQueue } from './compact-queue.js';

testQueue('compact queue of the script-tag build', createQueue);
