import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/**
 * Every optional property of the public API says what happens when it is left out
 * (`@default <literal>` or `@default - <behaviour>`), as jsii-docgen shows it.
 */
const ROOT = path.join(__dirname, '..');

function publicFiles(): string[] {
  const index = fs.readFileSync(path.join(ROOT, 'src/index.ts'), 'utf8');
  const files: string[] = [];
  const visit = (file: string) => {
    if (files.includes(file)) return;
    files.push(file);
    for (const m of fs.readFileSync(file, 'utf8').matchAll(/^export \* from '(.*)';$/gm)) {
      const target = path.resolve(path.dirname(file), m[1]);
      visit(fs.existsSync(`${target}.ts`) ? `${target}.ts` : path.join(target, 'index.ts'));
    }
  };
  for (const m of index.matchAll(/^export \* from '(.*)';$/gm)) {
    const target = path.resolve(ROOT, 'src', m[1]);
    visit(fs.existsSync(`${target}.ts`) ? `${target}.ts` : path.join(target, 'index.ts'));
  }
  return files;
}

test('every optional property of an exported interface or class documents its @default', () => {
  const missing: string[] = [];
  for (const file of publicFiles()) {
    const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2020, true);
    const check = (owner: string, member: ts.Node & { name?: ts.PropertyName; questionToken?: ts.QuestionToken }) => {
      // (`#name` fields are private as `private` ones are)
      if (!member.questionToken || !member.name || ts.isPrivateIdentifier(member.name)) return;
      const modifiers = ts.canHaveModifiers(member) ? ts.getModifiers(member) ?? [] : [];
      if (modifiers.some(m => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword)) return;
      const docs = ts.getJSDocTags(member).map(t => t.tagName.text);
      if (!docs.includes('default')) missing.push(`${path.relative(ROOT, file)}: ${owner}.${member.name.getText(source)}`);
    };
    source.forEachChild(node => {
      const exported = ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some(m => m.kind === ts.SyntaxKind.ExportKeyword);
      if (!exported) return;
      if (ts.isInterfaceDeclaration(node)) node.members.forEach(m => ts.isPropertySignature(m) && check(node.name.text, m));
      if (ts.isClassDeclaration(node) && node.name) node.members.forEach(m => ts.isPropertyDeclaration(m) && check(node.name!.text, m));
    });
  }
  expect(missing).toEqual([]);
});
