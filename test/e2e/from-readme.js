// Writes the README's new-project files into the app: each block that follows an
// `<!-- e2e:<file> -->` marker, verbatim; a second test file that imports expect and test from
// @jest/globals, as the README says; and the README's setupFilesAfterEnv in jest.config.js.
const fs = require('fs');
const path = require('path');

const [readmeFile, app] = process.argv.slice(2);
const readme = fs.readFileSync(readmeFile, 'utf8');
const blocks = [...readme.matchAll(/<!-- e2e:([\w.]+) -->\n```\w+\n([\s\S]*?)```/g)];
const names = blocks.map(b => b[1]);
for (const wanted of ['setup.sh', 'main.ts', 'cdk8s.yaml', 'main.test.ts']) {
  if (!names.includes(wanted)) { console.error(`the README has no <!-- e2e:${wanted} --> block`); process.exit(1); }
}
// The set-up commands the e2e test runs itself (it packs the library, renders the template
// offline and installs the tarball) must be the README's; the one it takes from the README is
// the removal of the template's obsolete snapshot, done exactly when the README says so.
const setupBlock = blocks.find(b => b[1] === 'setup.sh');
if (!setupBlock) { console.error('the README has no <!-- e2e:setup.sh --> block'); process.exit(1); }
for (const line of ['npx cdk8s-cli init typescript-app', 'npm install ../cdk8s-netpol/dist-pkg/js/cdk8s-netpol@0.0.0.jsii.tgz', 'rm -rf __snapshots__']) {
  if (!setupBlock[2].split('\n').some(l => l.startsWith(line))) { console.error(`the README's set-up has no line starting ${JSON.stringify(line)}`); process.exit(1); }
}
fs.rmSync(path.join(app, '__snapshots__'), { recursive: true, force: true });
for (const [, name, body] of blocks) if (name !== 'setup.sh') fs.writeFileSync(path.join(app, name), body);
const test = blocks.find(b => b[1] === 'main.test.ts')[2];
fs.writeFileSync(path.join(app, 'globals.test.ts'), `import { expect, test } from '@jest/globals';\n${test}`);

const jestConfig = path.join(app, 'jest.config.js');
const config = fs.readFileSync(jestConfig, 'utf8');
const setup = "    setupFilesAfterEnv: ['cdk8s-netpol/lib/testing/setup'],\n";
const updated = config.replace(/module\.exports = \{\n/, `module.exports = {\n${setup}`);
if (updated === config) { console.error('jest.config.js of the template has an unexpected shape'); process.exit(1); }
fs.writeFileSync(jestConfig, updated);
console.log(`e2e: wrote ${names.filter(n => n !== "setup.sh").join(', ')}, globals.test.ts; jest.config.js registers the matchers`);
