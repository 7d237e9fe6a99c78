// Shared rollup setup for the library packages: ESM + CJS bundles and one bundled .d.ts per format.
// Run from a package folder (`rollup -c`); dependencies stay external so apps dedupe them.
import { readFileSync } from 'node:fs';
import typescript from '@rollup/plugin-typescript';
import { dts } from 'rollup-plugin-dts';

export function libraryConfig({ input = 'src/index.ts' } = {}) {
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
        { file: 'dist/index.js', format: 'es', sourcemap: true },
        { file: 'dist/index.cjs', format: 'cjs', sourcemap: true, exports: 'named' },
      ],
    },
    {
      input,
      external,
      plugins: [dts({ tsconfig: './tsconfig.json' })],
      output: [
        { file: 'dist/index.d.ts', format: 'es' },
        { file: 'dist/index.d.cts', format: 'es' },
      ],
    },
  ];
}
