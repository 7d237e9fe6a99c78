// Shared rollup setup for the library packages: ESM + CJS bundles and one bundled .d.ts per format.
// Run from a package folder (`rollup -c`); dependencies stay external so apps dedupe them.
import { readFileSync } from 'node:fs';
import typescript from '@rollup/plugin-typescript';
import { dts } from 'rollup-plugin-dts';

/** `name`: the output files' base name (dist/NAME.js, .cjs, .d.ts), for a second entry point. */
export function libraryConfig({ input = 'src/index.ts', name = 'index' } = {}) {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
  const dependencies = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies });
  const external = (id) => id.startsWith('node:') || dependencies.some((dep) => id === dep || id.startsWith(`${dep}/`));
  const tsOptions = {
    tsconfig: './tsconfig.json',
    exclude: ['src/**/*.test.ts', 'src/**/*.contract.ts', 'src/**/*.test-support.ts'],
    compilerOptions: { declaration: false, sourceMap: true, noEmit: false },
  };
  return [
    {
      input,
      external,
      plugins: [typescript(tsOptions)],
      output: [
        { file: `dist/${name}.js`, format: 'es', sourcemap: true },
        { file: `dist/${name}.cjs`, format: 'cjs', sourcemap: true, exports: 'named' },
      ],
    },
    {
      input,
      external,
      plugins: [dts({ tsconfig: './tsconfig.json' })],
      output: [
        { file: `dist/${name}.d.ts`, format: 'es' },
        { file: `dist/${name}.d.cts`, format: 'es' },
      ],
    },
  ];
}
