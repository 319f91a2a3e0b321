/**
 * The import rules of embodied (README, "Contributing"): no cycles, and no import against the layer
 * order below. A module may import its own layer and the layers listed before it.
 */
const LAYERS = [
  ['kernel', 'src/kernel/'],
  ['data', 'src/data/'],
  ['output', 'src/output/'],
  ['io', 'src/io/'],
  ['model', 'src/model/'],
  ['demo', 'src/demo/'],
  ['inputs', 'src/inputs/'],
  ['report', 'src/report/'],
  ['mrio', 'src/mrio/'],
  ['analysis', 'src/analysis/'],
  ['sweep', 'src/sweep/'],
  ['benchmark', 'src/benchmark/'],
  ['cli', 'src/cli/'],
  ['entries', 'src/(index|node)\\.ts$'],
];
/**
 * The Node-only files of the browser-safe layers (the package's browser build never reaches them;
 * kernel/load.ts imports node:fs only dynamically, under Node).
 */
const NODE_ONLY = [
  '^src/io/node\\.ts$',
  '^src/inputs/node\\.ts$',
  '^src/output/(sha256|atomic|folder)\\.ts$',
  '^src/kernel/(load|threads)\\.ts$',
  '^src/demo/files\\.ts$',
];
const esc = (p) => p.replace(/\//g, '\\/');

const layerRules = LAYERS.slice(0, -1).map(([name, path], i) => ({
  name: `layer-${name}`,
  comment: `${name} (${path}) may import only ${LAYERS.slice(0, i + 1).map(([n]) => n).join(', ')}`,
  severity: 'error',
  from: { path: `^${esc(path)}` },
  to: { path: LAYERS.slice(i + 1).map(([, p]) => `^${esc(p)}`) },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'an import cycle',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'src-is-below-web-bench-test',
      comment: 'src/ and assembly/ import nothing from the page, the benchmark scripts or the tests',
      severity: 'error',
      from: { path: '^(src|assembly)/' },
      to: { path: '^(web|bench|test)/' },
    },
    {
      name: 'bench-uses-the-library-not-the-cli',
      severity: 'error',
      from: { path: '^bench/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'browser-safe',
      comment: 'these layers run in browsers: Node built-ins only in the Node-only files of NODE_ONLY',
      severity: 'error',
      from: { path: '^src/(kernel|data|output|io|model|demo|inputs|report)/', pathNot: NODE_ONLY },
      to: { dependencyTypes: ['core'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'node', 'default'], extensions: ['.ts', '.js'] },
  },
};
