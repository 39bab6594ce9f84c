import { javascript, JsonFile, typescript, YamlFile } from 'projen';

/** Peer dependencies: what a cdk8s app already has. */
const PEERS = ['cdk8s@^2.70.106', 'cdk8s-plus-28@^2.5.6', 'constructs@^10.4.2'];

const project = new typescript.TypeScriptProject({
  name: 'cdk8s-zero-trust',
  description:
    'Zero-trust network policy as code for Kubernetes: cdk8s constructs that render default-deny, DNS and declared flows into NetworkPolicy (Cilium, Calico and Istio to follow), plus a connectivity analyzer.',
  keywords: ['cdk8s', 'kubernetes', 'networkpolicy', 'zero-trust', 'multi-tenancy', 'policy-as-code'],
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  minNodeVersion: '20.0.0',

  // TypeScript 5.x and jest are pinned explicitly (projen would otherwise take "latest").
  typescriptVersion: '~5.9.3',
  jestOptions: {
    // jest 29: jest 30 resolves modules through unrs-resolver (per-platform native bindings, see below).
    jestVersion: '^29',
    // Snapshot drift must fail CI: `npm test` runs `jest --ci`; `npm run test:update` refreshes snapshots.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    // A broken test match must fail CI, not pass with zero tests.
    passWithNoTests: false,
    jestConfig: {
      testPathIgnorePatterns: ['/node_modules/', '/lib/'],
      coverageReporters: ['text-summary', 'lcov'],
    },
  },

  // The user's app brings cdk8s, cdk8s-plus-28 and constructs: one copy of each in their node_modules, so
  // that `instanceof` and construct-tree checks see the same classes (App, Chart, Construct) as ours.
  peerDeps: PEERS,
  // Our build and tests take them as devDependencies with the same ranges (projen would otherwise pin each one
  // to the lowest version of its range, which is not the version package-lock.json holds).
  peerDependencyOptions: { pinnedDevDependency: false },
  deps: [
    // YAML 1.2 parser with document streams and source positions: the analyzer reports file/document/field.
    'yaml@^2.8.0',
    // CLI parsing with per-command --help; 14.x is the last line that supports Node 20.
    'commander@^14.0.2',
    // Kubernetes API client for `zt audit` (kubeconfig loading, auth, TLS); 1.x is ESM-only, see src/cli/audit/client.ts.
    '@kubernetes/client-node@^1.4.0',
  ],
  devDeps: [
    ...PEERS,
    // cdk8s CLI: `cdk8s synth` of the bundled example platform still works (cdk8s.yaml), and tests run it.
    'cdk8s-cli@^2.207.60',
    // JSON Schema validation of every emitted object against ../shared/schemas in tests.
    'ajv@^8.17.1',
    'ajv-formats@^3.0.1',
    // Property-based tests: the analyzer proves generated policies never allow more than declared.
    'fast-check@^4.3.0',
  ],

  bin: { zt: 'lib/cli/main.js' },
  github: false,
  release: false,
  buildWorkflow: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
  // `dist/` holds the synthesized manifests of the example platform (committed, reviewed in PRs).
  artifactsDirectory: 'build/package',
  sampleCode: false,
  tsconfig: {
    compilerOptions: {
      lib: ['es2022'],
      target: 'ES2022',
      noUncheckedIndexedAccess: false,
      // fast-check 4 ships node16-style type exports that CommonJS resolution cannot follow.
      skipLibCheck: true,
    },
  },
  // `.dist.zt-*`: what an interrupted `npm run synth` leaves beside dist/ (removed by the next one).
  gitignore: ['/build/', '/.bench/', '*.tgz', '/.dist.zt-*'],
  eslintOptions: {
    dirs: ['src'],
    // The example platform and the benchmark are not part of the published library (lib/).
    devdirs: ['test', 'bench', 'examples'],
    // `npm test` reports lint problems and never rewrites sources; `npx eslint --fix` is for humans.
    commandOptions: { fix: false },
  },
});

// dist/ is the example platform's GitOps output: committed, so that reviewers see rendered policies.
project.gitignore.removePatterns('/dist/');
project.npmignore?.addPatterns('/dist/');

// eslint-import-resolver-typescript 4.x needs unrs-resolver, whose lock entries name a native binding per
// platform; our registry serves only the Linux ones, so `npm ci` rejects such a lock. 3.7 needs no binding.
project.deps.removeDependency('eslint-import-resolver-typescript');
project.addDevDeps('eslint-import-resolver-typescript@3.7.0');

const env = { CDK8S_CHECK_UPGRADE: 'false' };

// bench/ and examples/ run from TypeScript (ts-node) and are type-checked by the test task; lib/ holds
// only the library.
const TS_NODE = 'node -r ts-node/register/transpile-only';
// Like test/tsconfig.json: type-checking (and eslint's project service) for the folders outside src/.
for (const [dir, include] of [['bench', ['**/*.ts', '../examples/**/*.ts']], ['examples', ['**/*.ts']]] as const) {
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: { extends: '../tsconfig.json', compilerOptions: { noEmit: true, rootDir: '..' }, include, exclude: ['node_modules'] },
  });
}
project.testTask.prependExec('tsc --noEmit -p bench');

// `npm run synth`: compile (type-checks src/), then run the example platform's app directly. Not through
// `cdk8s synth`: the cdk8s CLI deletes its output folder before it runs the app, so a failing program
// would leave no dist/ and files of the user's in dist/ would be lost. ZeroTrustApp.synth() replaces
// dist/ as a whole only once every file is written, and keeps files it did not write.
const synth = project.addTask('synth', {
  description: 'Synthesize the bundled example platform into dist/ (the previous dist/ stays if anything fails)',
  env: { ...env, CDK8S_OUTDIR: 'dist' },
});
synth.spawn(project.compileTask);
synth.exec(`${TS_NODE} examples/example-platform-app.ts`);

// `npm run bench`: synthesis and analysis figures (seconds, peak memory) at several sizes.
const bench = project.addTask('bench', {
  description: 'Benchmark synthesis and analysis at 10, 100 and 1,000 tenants; prints figures',
  env,
});
// Compiled, not run through ts-node: the TypeScript compiler would sit in every measured process's memory.
bench.exec('tsc -p bench --noEmit false --outDir build/bench');
bench.exec('node --expose-gc build/bench/bench/main.js', { receiveArgs: true });

// `npm run nightly`: the random-platform properties at 1,000 runs each (several minutes): never wider (the
// Kubernetes, Cilium and Calico output on generated pods), analysis from intent (representative pods), and one
// intent, equivalent output (the three backends' outputs analyzed with their own dialects, the Calico one on
// every run). Each prints its runs, discarded platforms and time; a failure prints the fast-check seed to replay
// (NEVER_WIDER_SEED, INTENT_PROPERTY_SEED, CROSS_BACKEND_SEED). Other run counts: run jest on these files with
// NEVER_WIDER_RUNS / NEVER_WIDER_CILIUM_RUNS / NEVER_WIDER_CALICO_RUNS / INTENT_PROPERTY_RUNS / CROSS_BACKEND_RUNS /
// CROSS_BACKEND_CALICO_RUNS.
const nightly = project.addTask('nightly', {
  description: 'Run the random-platform properties (never wider, analysis from intent, cross-backend) at 1,000 runs each; prints runs and time',
  env: {
    ...env,
    NEVER_WIDER_RUNS: '1000',
    NEVER_WIDER_CILIUM_RUNS: '1000',
    NEVER_WIDER_CALICO_RUNS: '1000',
    NEVER_WIDER_STATS: '1',
    INTENT_PROPERTY_RUNS: '1000',
    INTENT_PROPERTY_STATS: '1',
    CROSS_BACKEND_RUNS: '1000',
    CROSS_BACKEND_CALICO_RUNS: '1000',
    CROSS_BACKEND_STATS: '1',
  },
});
nightly.exec(
  'jest --ci --coverage=false --runInBand test/backends/never-wider.test.ts test/intent/intent-property.test.ts test/intent/cross-backend-property.test.ts',
  { receiveArgs: true },
);

// `cdk8s synth` still runs the bundled example platform into dist/ (the CLI empties dist/ first).
new YamlFile(project, 'cdk8s.yaml', {
  obj: {
    language: 'typescript',
    app: `${TS_NODE} examples/example-platform-app.ts`,
    output: 'dist',
  },
});

project.synth();
