/**
 * The report formats: text for people, JSON, and SARIF 2.1.0 for code scanning.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { ENGINE_RULES } from './engine-rules';
import { Finding } from '../finding';
import type { LintReport } from '../lint-report';
import { LintRule } from '../lint-rule';
import { ALL_RULES } from '../rules';
import { Severity } from '../severity';

/**
 * Where the rules are documented: RULES.md in the repository that package.json names (set once,
 * in .projenrc.ts); `undefined` when package.json names none (the SARIF then links nowhere).
 */
function rulesUrl(): string | undefined {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));
    const url: unknown = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
    const m = typeof url === 'string' ? /^(?:git\+)?(https:\/\/[^\s#?]+?)(?:\.git)?\/?$/.exec(url) : null;
    return m ? `${m[1]}/blob/main/RULES.md` : undefined;
  } catch {
    return undefined;
  }
}

/** Every rule that can appear in a report: the lint rules, then the engine's own. */
export function reportableRules(): LintRule[] {
  return [...ALL_RULES, ...ENGINE_RULES].map(r => ({
    id: r.id, name: r.name, severity: r.severity, summary: r.summary, explanation: r.explanation, fix: r.fix,
  }));
}

/** `NetworkPolicy shop/web`, `Namespace shop`, or empty for a finding about the whole input. */
export function objectText(f: Finding): string {
  if (f.kind === undefined || f.name === undefined) return '';
  return `${f.kind} ${f.kind !== 'Namespace' && f.namespace !== undefined ? `${f.namespace}/` : ''}${f.name}`;
}

/** Where a finding is: `shop/Web (Deployment shop/web)`, `app.yaml:12 (document 2) NetworkPolicy shop/x`. */
export function locationText(f: Finding): string {
  const object = objectText(f);
  if (f.constructPath !== undefined) return object ? `${f.constructPath} (${object})` : f.constructPath;
  if (f.file !== undefined) {
    const line = f.line !== undefined ? `:${f.line}` : '';
    const doc = f.documentIndex !== undefined ? ` (document ${f.documentIndex})` : '';
    return `${f.file}${line}${doc}${object ? ` ${object}` : ''}`;
  }
  return object || 'the input';
}

/** `spec.ingress[0]: <message>`, or the message. */
export function messageText(f: Finding): string {
  return f.field !== undefined ? `${f.field}: ${f.message}` : f.message;
}

/** One line: `NP003 egress-without-dns at shop/Web (Deployment shop/web): <message>. Fix: <fix>`. */
export function findingLine(f: Finding): string {
  return `${f.ruleId} ${f.ruleName} at ${locationText(f)}: ${messageText(f)}. Fix: ${f.fix}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The summary line. */
export function summaryText(report: LintReport): string {
  const suppressed = report.suppressedFindings.length > 0 ? `, ${report.suppressedFindings.length} suppressed` : '';
  const objects = plural(report.objectCount, 'object');
  if (report.findings.length === 0) return `No findings in ${objects}${suppressed}.`;
  return `${plural(report.errors.length, 'error')}, ${plural(report.warnings.length, 'warning')}${suppressed} in ${objects}.`;
}

/** The report as text, grouped by object. */
export function humanReport(report: LintReport): string {
  const lines: string[] = [];
  let last: string | undefined;
  for (const f of report.findings) {
    const where = locationText(f);
    if (where !== last) {
      if (last !== undefined) lines.push('');
      lines.push(where);
      last = where;
    }
    lines.push(`  ${f.severity.padEnd(7)} ${f.ruleId} ${f.ruleName}: ${messageText(f)}`);
    lines.push(`          fix: ${f.fix}`);
  }
  if (report.suppressedFindings.length > 0) {
    if (lines.length > 0) lines.push('');
    lines.push('Suppressed:');
    for (const f of report.suppressedFindings) {
      lines.push(`  ${f.ruleId} ${f.ruleName} at ${locationText(f)}: ${f.suppressionReason}`);
    }
  }
  if (report.checksNotRun.length > 0) {
    if (lines.length > 0) lines.push('');
    lines.push('Not run:');
    for (const note of report.checksNotRun) lines.push(`  ${note}`);
  }
  if (lines.length > 0) lines.push('');
  lines.push(summaryText(report));
  return lines.join('\n') + '\n';
}

/** The report as JSON. */
export function jsonReport(report: LintReport): any {
  return {
    summary: {
      objects: report.objectCount,
      errors: report.errors.length,
      warnings: report.warnings.length,
      suppressed: report.suppressedFindings.length,
    },
    findings: report.findings,
    suppressed: report.suppressedFindings,
    ...(report.checksNotRun.length > 0 ? { checksNotRun: [...report.checksNotRun] } : {}),
  };
}

/**
 * A file path as a SARIF artifact URI (an RFC 3986 URI reference): forward slashes, relative to
 * the working directory when inside it, every segment percent-encoded (`my file.yaml` is
 * `my%20file.yaml`; a `#`, `?`, `%` or a `:` that would read as a scheme cannot change what the
 * URI names).
 */
export function artifactUri(file: string): string {
  let p = file;
  if (path.isAbsolute(p)) {
    const relative = path.relative(process.cwd(), p);
    if (!relative.startsWith('..') && !path.isAbsolute(relative)) p = relative;
  }
  p = p.split(path.sep).join('/').replace(/^\.\//, '');
  const encoded = p.split('/').map(segment => encodeURIComponent(segment)).join('/');
  return path.isAbsolute(file) && p.startsWith('/') ? `file://${encoded}` : encoded;
}

function level(severity: Severity): string {
  return severity === Severity.ERROR ? 'error' : 'warning';
}

/** The report as a SARIF 2.1.0 log. */
export function sarifLog(report: LintReport, toolVersion: string): any {
  const rules = reportableRules();
  const result = (f: Finding) => {
    const object = objectText(f);
    const logical: any[] = [];
    if (object) {
      logical.push({
        name: f.name,
        fullyQualifiedName: `${f.kind}/${f.namespace !== undefined && f.kind !== 'Namespace' ? `${f.namespace}/` : ''}${f.name}${f.field !== undefined ? `#${f.field}` : ''}`,
        kind: 'resource',
      });
    }
    if (f.constructPath !== undefined) logical.push({ fullyQualifiedName: f.constructPath, kind: 'module' });
    const location: any = {};
    if (f.file !== undefined) {
      location.physicalLocation = { artifactLocation: { uri: artifactUri(f.file) } };
      if (f.line !== undefined) location.physicalLocation.region = { startLine: f.line };
    }
    if (logical.length > 0) location.logicalLocations = logical;
    const out: any = {
      ruleId: f.ruleId,
      ruleIndex: rules.findIndex(r => r.id === f.ruleId),
      level: level(f.severity),
      message: { text: `${object ? `${object}${f.field !== undefined ? ` ${f.field}` : ''}: ` : ''}${f.message}. Fix: ${f.fix}` },
      locations: Object.keys(location).length > 0 ? [location] : [],
      partialFingerprints: {
        'netpolLintFinding/v1': createHash('sha256')
          .update([f.ruleId, f.kind ?? '', f.namespace ?? '', f.name ?? '', f.field ?? '', f.constructPath ?? ''].join('\u0000'))
          .digest('hex').slice(0, 32),
      },
    };
    if (f.suppressionReason !== undefined) out.suppressions = [{ kind: 'inSource', justification: f.suppressionReason }];
    return out;
  };
  const rulesDoc = rulesUrl();
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'netpol-lint',
          fullName: 'cdk8s-netpol NetworkPolicy linter',
          informationUri: rulesDoc,
          version: toolVersion,
          rules: rules.map(r => ({
            id: r.id,
            name: r.name,
            shortDescription: { text: r.summary },
            fullDescription: { text: r.explanation },
            help: { text: `${r.explanation}\n\nFix: ${r.fix}`, markdown: `${r.explanation}\n\n**Fix:** ${r.fix}` },
            helpUri: rulesDoc === undefined ? undefined : `${rulesDoc}#${r.id.toLowerCase()}-${r.name}`,
            defaultConfiguration: { level: level(r.severity) },
            properties: {
              'tags': ['security', 'kubernetes', 'network-policy'],
              'security-severity': r.severity === Severity.ERROR ? '7.0' : '4.0',
            },
          })),
        },
      },
      results: [...report.findings, ...report.suppressedFindings].map(result),
    }],
  };
}
