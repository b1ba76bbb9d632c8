// Writes the README's new-project files into the app: each block that follows an
// `<!-- e2e:<file> -->` marker, verbatim; a second test file that imports expect and test from
// @jest/globals, as the README says; and the README's setupFilesAfterEnv in jest.config.js.
const fs = require('fs');
const path = require('path');

const [readmeFile, app] = process.argv.slice(2);
const readme = fs.readFileSync(readmeFile, 'utf8');
const blocks = [...readme.matchAll(/<!-- e2e:([\w.]+) -->\n```\w+\n([\s\S]*?)```/g)];
const names = blocks.map(b => b[1]);
for (const wanted of ['main.ts', 'cdk8s.yaml', 'main.test.ts']) {
  if (!names.includes(wanted)) { console.error(`the README has no <!-- e2e:${wanted} --> block`); process.exit(1); }
}
// The template's placeholder test and its snapshot give way to the README's.
fs.rmSync(path.join(app, '__snapshots__'), { recursive: true, force: true });
for (const [, name, body] of blocks) fs.writeFileSync(path.join(app, name), body);
const test = blocks.find(b => b[1] === 'main.test.ts')[2];
fs.writeFileSync(path.join(app, 'globals.test.ts'), `import { expect, test } from '@jest/globals';\n${test}`);

const jestConfig = path.join(app, 'jest.config.js');
const config = fs.readFileSync(jestConfig, 'utf8');
const setup = "    setupFilesAfterEnv: ['cdk8s-netpol/lib/testing/setup'],\n";
const updated = config.replace(/module\.exports = \{\n/, `module.exports = {\n${setup}`);
if (updated === config) { console.error('jest.config.js of the template has an unexpected shape'); process.exit(1); }
fs.writeFileSync(jestConfig, updated);
console.log(`e2e: wrote ${names.join(', ')}, globals.test.ts; jest.config.js registers the matchers`);
