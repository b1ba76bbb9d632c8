import * as fs from 'fs';
import * as path from 'path';

/**
 * A fake `kubectl` on the PATH: a small Node script that appends each call (its arguments and
 * standard input) to `calls.jsonl` in its directory and answers from `responses.json` there:
 * the first response whose `when` is a substring of the space-joined arguments (`*` matches
 * anything). No response: exit 1 with "fake kubectl: no response".
 */
export interface FakeResponse {
  when: string;
  stdout?: string;
  stderr?: string;
  code?: number;
  /** Print `stdout` this many times (a flood). */
  repeat?: number;
  /** Never exit (a hung kubectl, e.g. a credential plugin waiting for a browser): only a kill ends it. */
  hang?: boolean;
  /** Answer like `kubectl apply -f - -o name`: one `<resource>/<name>` line per object of the List on stdin. */
  echoApplied?: boolean;
  /** Start a child that never exits and holds the output pipes (like a hung credential plugin), its pid in `grandchild.pid`. */
  grandchild?: boolean;
}

export interface FakeCall { args: string[]; stdin: string; pid: number }

export class FakeKubectl {
  public static create(dir: string, responses: FakeResponse[]): FakeKubectl {
    fs.mkdirSync(dir, { recursive: true });
    const script = path.join(dir, 'kubectl');
    fs.writeFileSync(script, [
      `#!${process.execPath}`,
      "const fs = require('fs'); const path = require('path');",
      'const dir = __dirname;',
      'const args = process.argv.slice(2);',
      "let stdin = ''; try { stdin = fs.readFileSync(0, 'utf8'); } catch (e) {}",
      "fs.appendFileSync(path.join(dir, 'calls.jsonl'), JSON.stringify({ args, stdin, pid: process.pid }) + '\\n');",
      "const responses = JSON.parse(fs.readFileSync(path.join(dir, 'responses.json'), 'utf8'));",
      "const joined = args.join(' ');",
      "const r = responses.find(x => x.when === '*' || joined.includes(x.when));",
      "if (!r) { process.stderr.write('fake kubectl: no response for ' + joined + '\\n'); process.exit(1); }",
      "if (r.echoApplied) { const items = JSON.parse(stdin).items; r.stdout = items.map(o => (o.kind === 'Job' ? 'job.batch' : o.kind.toLowerCase()) + '/' + o.metadata.name + '\\n').join(''); }",
      "function put(fd, s) { const b = Buffer.from(s); let o = 0; while (o < b.length) { try { o += fs.writeSync(fd, b, o); } catch (e) { if (e.code !== 'EAGAIN') process.exit(141); } } }",
      "for (let i = 0; i < (r.repeat || 1); i++) put(1, r.stdout || '');",
      "put(2, r.stderr || '');",
      "if (r.grandchild) { const c = require('child_process').spawn(process.execPath, ['-e', 'setInterval(() => undefined, 1 << 30)'], { stdio: ['ignore', 1, 2] }); fs.writeFileSync(path.join(dir, 'grandchild.pid'), String(c.pid)); }",
      "if (r.hang) { process.on('SIGTERM', () => undefined); setInterval(() => undefined, 1 << 30); } else process.exit(r.code || 0);",
    ].join('\n'));
    fs.chmodSync(script, 0o755);
    const fake = new FakeKubectl(dir);
    fake.respond(responses);
    return fake;
  }

  private constructor(public readonly dir: string) {}

  public respond(responses: FakeResponse[]): void {
    fs.writeFileSync(path.join(this.dir, 'responses.json'), JSON.stringify(responses));
  }

  public calls(): FakeCall[] {
    const file = path.join(this.dir, 'calls.jsonl');
    if (!fs.existsSync(file)) return [];
    return fs.readFileSync(file, 'utf8').split('\n').filter(l => l !== '').map(l => JSON.parse(l));
  }

  public reset(): void {
    fs.rmSync(path.join(this.dir, 'calls.jsonl'), { force: true });
    fs.rmSync(path.join(this.dir, 'grandchild.pid'), { force: true });
  }

  /** The pid of the child a `grandchild` response started, once it has. */
  public grandchildPid(): number | undefined {
    const file = path.join(this.dir, 'grandchild.pid');
    return fs.existsSync(file) ? Number(fs.readFileSync(file, 'utf8')) : undefined;
  }
}
