// Renders the cdk8s-cli typescript-app template into a directory the way `cdk8s init
// typescript-app` does (sscaff, with the versions the init command computes: those of the
// cdk8s, cdk8s-plus-33 and constructs packages cdk8s-cli resolves), without the template's
// post-install hook, whose `cdk8s import` downloads schemas; the e2e script runs the rest.
const fs = require('fs');
const os = require('os');
const path = require('path');

const target = process.argv[2];
const cli = path.dirname(require.resolve('cdk8s-cli/package.json'));
const cliPkg = JSON.parse(fs.readFileSync(path.join(cli, 'package.json'), 'utf8'));
const versionOf = (name) => JSON.parse(fs.readFileSync(require.resolve(`${name}/package.json`, { paths: [cli] }), 'utf8')).version;
const { sscaff } = require(require.resolve('sscaff', { paths: [cli] }));

const template = path.join(cli, 'templates', 'typescript-app');
const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-template-'));
fs.cpSync(template, copy, { recursive: true });
fs.rmSync(path.join(copy, '.hooks.sscaff.js'), { force: true });

const deps = {
  cdk8s_core_version: versionOf('cdk8s'),
  cdk8s_plus_version: versionOf('cdk8s-plus-33'),
  constructs_version: cliPkg.dependencies.constructs.replace('^', ''),
  cdk8s_cli_spec: `^${cliPkg.version}`,
};
sscaff(copy, target, deps).then(() => {
  fs.rmSync(copy, { recursive: true, force: true });
  const pkg = JSON.parse(fs.readFileSync(path.join(target, 'package.json'), 'utf8'));
  console.log(`e2e: template rendered: cdk8s ${pkg.dependencies.cdk8s}, cdk8s-plus-33 ${pkg.dependencies['cdk8s-plus-33']}, cdk8s-cli ${pkg.devDependencies['cdk8s-cli']}`);
}, (err) => {
  console.error(err);
  process.exit(1);
});
