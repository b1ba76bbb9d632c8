import { Finding } from './finding';
import { humanReport, jsonReport, sarifLog } from './private/formatters';
import { Severity } from './severity';

/**
 * What the linter found: the findings, and those a suppression accepted.
 */
export class LintReport {
  /**
   * A report (the linter builds these).
   *
   * @internal
   */
  public static _create(findings: Finding[], suppressedFindings: Finding[], objectCount: number, checksNotRun: string[] = []): LintReport {
    return new LintReport(findings, suppressedFindings, objectCount, checksNotRun);
  }

  /** The findings no suppression matched, in a stable order (by location, then rule). */
  public readonly findings: Finding[];
  /** The findings a suppression matched, each with its `suppressionReason`. */
  public readonly suppressedFindings: Finding[];
  /** The number of objects linted. */
  public readonly objectCount: number;
  /**
   * The checks that could not run on part of the input, and why (one sentence each): a clean
   * report with these is not a clean bill of health.
   */
  public readonly checksNotRun: string[];

  private constructor(findings: Finding[], suppressedFindings: Finding[], objectCount: number, checksNotRun: string[]) {
    this.findings = findings;
    this.suppressedFindings = suppressedFindings;
    this.objectCount = objectCount;
    this.checksNotRun = checksNotRun;
  }

  /** The findings of severity error. */
  public get errors(): Finding[] {
    return this.findings.filter(f => f.severity === Severity.ERROR);
  }

  /** The findings of severity warning. */
  public get warnings(): Finding[] {
    return this.findings.filter(f => f.severity === Severity.WARNING);
  }

  /** Whether there is at least one (unsuppressed) error. */
  public get hasErrors(): boolean {
    return this.errors.length > 0;
  }

  /**
   * The report as text for people: the findings grouped by object, each with its fix, the
   * suppressed findings with their reasons, and a summary line.
   */
  public toText(): string {
    return humanReport(this);
  }

  /**
   * The report as JSON: `{ summary: { objects, errors, warnings, suppressed }, findings, suppressed, checksNotRun }`.
   */
  public toJson(): any {
    return jsonReport(this);
  }

  /**
   * The report as a SARIF 2.1.0 log, for code-scanning upload: the rules' metadata in
   * `tool.driver.rules`, one result per finding (suppressed ones carry a `suppressions` entry).
   *
   * @param toolVersion the version to report for the tool
   */
  public toSarif(toolVersion?: string): any {
    return sarifLog(this, toolVersion ?? '0.0.0');
  }
}
