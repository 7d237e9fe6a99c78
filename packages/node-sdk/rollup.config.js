import { libraryConfig } from '../../scripts/rollup-library.js';

export default libraryConfig();
