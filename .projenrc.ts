import { cdk8s, javascript } from 'projen';

// The repository, named once: package.json's `repository` (which the lint's SARIF links to RULES.md
// follow) and the package names of the other jsii languages are made from it. The documentation
// links relatively. Set the owner to the real one before publishing.
const REPOSITORY = { owner: 'maintainers', name: 'cdk8s-netpol' };
const OWNER_PASCAL = REPOSITORY.owner.replace(/(^|[-_.])([a-z0-9])/g, (_m, _sep, c: string) => c.toUpperCase());

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-netpol',
  description:
    'Kubernetes NetworkPolicies as typed cdk8s constructs: valid by construction, provable offline, linted for real-world pitfalls.',
  author: 'cdk8s-netpol maintainers',
  authorAddress: 'maintainers@users.noreply.b-seed-75b20784.example',
  repositoryUrl: `https://github.com/${REPOSITORY.owner}/${REPOSITORY.name}.git`,
  defaultReleaseBranch: 'main',
  keywords: ['cdk8s', 'kubernetes', 'networkpolicy', 'network-policy', 'security', 'zero-trust'],
  license: 'Apache-2.0',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  minNodeVersion: '20.0.0',
  bin: { netpol: 'lib/cli/main.js' },

  // cdk8s 2.x and constructs 10.x (the projen defaults are cdk8s v1).
  cdk8sVersion: '2.70.0',
  constructsVersion: '10.3.0',
  jsiiVersion: '~5.9.0',
  typescriptVersion: '~5.9.0',
  // No cdk8s-plus dependency of any kind: `Peer.fromPodSelector()` and
  // `LabelSelector.fromPodSelector()` take the structural shape every cdk8s-plus-2x workload
  // has (IPodSelectorSource), so apps bring whichever cdk8s-plus they use, or none. (jsii turns
  // every peer dependency, optional or not, into a hard dependency of the Python, Java, Go and
  // .NET packages, so an "optional peer" would install cdk8s-plus there anyway.)

  // Runtime libraries that are not jsii modules must travel inside the package.
  //  - yaml: the YAML 1.2 reference parser/printer (multi-document, precise error positions).
  //  - ipaddr.js: IPv4/IPv6 parsing and CIDR matching, no dependencies.
  //  - commander: the CLI parser.
  bundledDeps: ['yaml@^2.8.1', 'ipaddr.js@^2.2.0', 'commander@^14.0.0'],
  devDeps: [
    'fast-check@^4.3.0',
    // JSON Schema validation of the CLI's JSON output (schemas/*.schema.json) in tests: the reference validator, draft 2020-12.
    'ajv@^8.17.1',
    'kubernetes-models@^4.4.2',
    'cdk8s-cli@^2.200.0',
    // Interop is tested against the oldest and the newest cdk8s-plus (test/interop/).
    'cdk8s-plus-28@2.5.6',
    'cdk8s-plus-33@^2.5.57',
    // test/testing/jest-globals.test.ts: the matchers with `import { expect } from '@jest/globals'`.
    '@jest/globals@^30.0.0',
    'cdk8s@2.70.98',
    // The construct suites run against the cdk8s a new project gets today as well (test:cdk8s-newest):
    // its ApiObject declares its fields as class fields, which Policy's construction must survive.
    'cdk8s-newest@npm:cdk8s@2.70.106',
  ],

  // The jsii targets cdk8s-plus publishes to (its .projenrc), named after this package. CI
  // generates each target's sources with jsii-pacmak (`.ci/jsii-targets`); publishing is off.
  publishToPypi: { distName: 'cdk8s-netpol', module: 'cdk8s_netpol' },
  publishToMaven: {
    javaPackage: `io.github.${REPOSITORY.owner}.cdk8s.netpol`,
    mavenGroupId: `io.github.${REPOSITORY.owner}`,
    mavenArtifactId: 'cdk8s-netpol',
  },
  publishToNuget: { dotNetNamespace: `${OWNER_PASCAL}.Cdk8s.Netpol`, packageId: `${OWNER_PASCAL}.Cdk8s.Netpol` },
  publishToGo: { moduleName: `github.com/${REPOSITORY.owner}/${REPOSITORY.name}-go` },
  github: false,
  release: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
  // jsii writes its package here; `dist/` is where cdk8s apps synthesize to.
  artifactsDirectory: 'dist-pkg',

  jestOptions: {
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      collectCoverage: false,
      // Jest's default of 5 s per test fails on a busy 2-core machine (process-spawning tests took
      // longer under load). No test measures time; this only bounds a test that hangs.
      testTimeout: 60_000,
      // One worker per core (Jest's default is cores - 1: a single worker on a 2-core machine).
      // The slowest files wait more than they compute (the probe runner's fake kubectl), so the
      // second worker overlaps them: `npx jest --ci` took 379 s with one worker, 230 s with two.
      maxWorkers: '100%',
      // Type checking is done once by `typecheck`; ts-jest only transpiles
      // (tsconfig.dev.json has isolatedModules).
      transform: {
        '^.+\\.[t]sx?$': new javascript.Transform('ts-jest', { tsconfig: 'tsconfig.dev.json' }),
      },
    },
  },
  tsconfigDevFile: 'tsconfig.dev.json',
  tsconfigDev: {
    include: ['examples/**/*.ts', 'bench/**/*.ts', 'test/**/*.ts', 'scripts/**/*.ts', '.projenrc.ts', 'projenrc/**/*.ts'],
    compilerOptions: {},
    exclude: ['lib', 'dist', 'dist-pkg', 'node_modules'],
  },
  eslintOptions: {
    dirs: ['src'],
    tsconfigPath: './tsconfig.dev.json',
    projectService: false,
    devdirs: ['test', 'examples', 'bench', 'projenrc', '.projenrc.ts'],
    // Lint checks; it never rewrites files behind the author's back.
    commandOptions: { fix: false },
  },
  // '/node_modules' also ignores a symbolic link of that name (a worktree sharing another's install), which projen's 'node_modules/' does not
  gitignore: ['/dist/', '/test-reports/', '/.tmp/', '/node_modules'],
  // 'dist-pkg' exactly as jsii-pacmak writes it, or `package:js` appends it to .npmignore.
  npmIgnoreOptions: { ignorePatterns: ['/examples/', '/bench/', '/.ci/', '/scripts/', '/rosetta/', 'dist-pkg'] },
});

// The registry here serves unrs-resolver 1.13.0 without its platform packages.
project.package.addField('overrides', { 'unrs-resolver': '1.12.2' });

// Entry points, for CommonJS `require` and ESM `import` alike (the modules are CommonJS; Node
// gives ESM their named exports), with their types. Nothing else is importable: `lib/` is private.
const entry = (name: string) => ({
  types: `./lib/${name}.d.ts`,
  require: `./lib/${name}.js`,
  import: `./lib/${name}.js`,
  default: `./lib/${name}.js`,
});
project.package.addField('exports', {
  '.': entry('index'),
  './lib/testing': entry('testing/index'),
  './lib/testing/setup': entry('testing/setup'),
  // jsii tools and the cdk8s CLI read these.
  './.jsii': './.jsii',
  './package.json': './package.json',
});

// Type-check tests, examples and benchmarks (ts-jest only transpiles).
const typecheck = project.addTask('typecheck', {
  description: 'Type-check tests, examples and benchmarks',
  exec: 'tsc --noEmit -p tsconfig.dev.json',
});
project.testTask.prependSpawn(typecheck);

// The flagship example app: synthesizes into dist/ and lists what it produced.
project.addTask('example', {
  description: 'Synthesize the flagship example app into dist/ and print what it produced',
  exec: 'ts-node --transpile-only examples/main.ts',
});

// Benchmarks (bench/README.md): `npm run bench`, or `npm run bench -- --quick` for a smoke run.
project.addTask('bench', {
  description: 'Synthesis and analysis benchmarks; results in bench/results/',
  exec: 'ts-node --transpile-only bench/run.ts',
  receiveArgs: true,
});

// The property tests at their full case counts: `npm run check` runs a quarter of each
// (test/fixtures/property-runs.ts); this is the CI job of its own that runs them all.
project.addTask('test:properties', {
  description: 'Jest with every property test at its full case count (FC_RUNS=full); arguments select test files',
  env: { FC_RUNS: 'full' },
  exec: 'jest --ci',
  receiveArgs: true,
});

// The construct suites again, against the newest cdk8s (what `cdk8s init` brings: 2.70.106 declares
// ApiObject's fields as class fields, which changes how Policy's construction sees cdk8s's
// assignments). `cdk8s` is mapped to the `cdk8s-newest` package for every module, cdk8s-plus
// included; test/interop/cdk8s-version.test.ts fails if the mapping did not take effect. Its JUnit
// report is a file of its own (.ci/run counts both).
const CDK8S_NEWEST_SUITES = [
  'test/interop/cdk8s-version.test.ts', 'test/policy.test.ts', 'test/policy-construction.test.ts', 'test/peer.test.ts',
  'test/patterns', 'test/cluster-policy', 'test/synthesis.test.ts', 'test/private/synth-memo.test.ts',
  'test/private/naming.test.ts', 'test/private/yaml-print.test.ts', 'test/fail-closed', 'test/interop/cdk8s-plus.test.ts',
  'test/lint/netpol-lint.test.ts', 'test/io/construct-metadata.test.ts', 'test/testing/matchers.test.ts',
];
const cdk8sNewest = project.addTask('test:cdk8s-newest', {
  description: 'The construct suites against the newest cdk8s (the cdk8s-newest package)',
  env: { CDK8S_MODULE: 'cdk8s-newest', JEST_JUNIT_OUTPUT_NAME: 'junit-cdk8s-newest.xml' },
  exec: `jest --ci --moduleNameMapper '{"^cdk8s$":"cdk8s-newest"}' ${CDK8S_NEWEST_SUITES.join(' ')}`,
});

// RULES.md is generated from the lint rules' metadata (a test fails when it is stale).
project.addTask('rules', {
  description: 'Regenerate RULES.md from the lint rules',
  exec: 'ts-node --transpile-only scripts/gen-rules.ts',
});

// The whole test suite: jsii compile (which regenerates API.md), type-check, jest, eslint;
// API.md must then be unchanged.
const check = project.addTask('check', {
  description: 'jsii compile + jest + eslint, and API.md must be current',
});
check.spawn(project.compileTask);
check.spawn(project.postCompileTask);
check.spawn(project.testTask);
check.spawn(cdk8sNewest);
check.exec('git diff --exit-code -- API.md || (echo "API.md is out of date: run npx projen docgen and commit it" && exit 1)');

project.synth();
