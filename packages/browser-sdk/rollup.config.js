import { libraryConfig } from '../../scripts/rollup-library.js';
import { iifeConfig, personalizeIifeConfig } from './scripts/iife-config.js';

export default [
  ...libraryConfig(),
  ...libraryConfig({ input: 'src/personalize/index.ts', name: 'personalize' }),
  iifeConfig(),
  personalizeIifeConfig(),
];
