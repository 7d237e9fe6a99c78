import { libraryConfig } from '../../scripts/rollup-library.js';
import { iifeConfig } from './scripts/iife-config.js';

export default [...libraryConfig(), iifeConfig()];
