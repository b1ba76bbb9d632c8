import * as fs from 'fs';
import * as path from 'path';
import { Document, isMap, isSeq, LineCounter, parseAllDocuments } from 'yaml';
import { expandList, isList } from '../model/list-items';

/**
 * Reads Kubernetes manifests from files and directories: multi-document YAML and
 * JSON, with `List` kinds (`kind: List`, `kind: NetworkPolicyList`, ... with
 * `items`) expanded into their items. Items of a typed list (`NetworkPolicyList`)
 * without `kind`, as the API returns them, get the list's item kind and
 * apiVersion. Generic: any kind is returned.
 *
 * YAML is read with YAML 1.1 rules, as kubectl reads it (`yes`, `on` and `off` are
 * booleans, `010` is octal), except that timestamps stay strings. Empty documents
 * are skipped, as kubectl skips them. Problems never throw: they are returned as
 * load errors naming the file and, where it applies, the document.
 */

/** One object found in the input. */
export interface LoadedObject {
  /** The file, as given or as found in a directory; `<stdin>` for standard input. */
  readonly file: string;
  /** The 0-based index of the document in the file. */
  readonly index: number;
  /** The 0-based index of the object in a `List`'s `items`, when it came from one. */
  readonly item?: number;
  /** The 1-based line where the object starts (YAML input only). */
  readonly line?: number;
  /** The object. */
  readonly object: Record<string, any>;
}

/** A problem with the input itself. */
export interface LoadError {
  /** The file, as given or as found in a directory; `<stdin>` for standard input. */
  readonly file: string;
  /** The 0-based index of the document, when the problem is in one document. */
  readonly index?: number;
  /** The 0-based index in a `List`'s `items`, when the problem is in one item. */
  readonly item?: number;
  /** What is wrong, without the file name. */
  readonly message: string;
}

/** Everything read from some input. */
export interface LoadResult {
  /** The objects, in file order, then document order, then item order. */
  readonly objects: LoadedObject[];
  /**
   * The problems: first those found while listing the paths (missing files,
   * unreadable directories), then those of each file in file order.
   */
  readonly errors: LoadError[];
  /** The files read (or tried), in order (`-` for standard input). */
  readonly files: string[];
}

/** Options for `loadManifests`. */
export interface LoadOptions {
  /** Reads standard input, for the path `-`. @default - reads file descriptor 0 */
  readonly readStdin?: () => string;
}

/** The name standard input (the path `-`) is reported under. */
export const STDIN_NAME = '<stdin>';

/** The file extensions picked up when walking a directory. */
export const MANIFEST_EXTENSIONS: readonly string[] = ['.yaml', '.yml', '.json'];

/** Formats where a load error happened: `file`, `file: document 2`, `file: document 2, item 0`. */
export function formatLoadError(e: LoadError): string {
  let where = e.file;
  if (e.index !== undefined) where += `: document ${e.index}`;
  if (e.item !== undefined) where += `, item ${e.item}`;
  return `${where}: ${e.message}`;
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return 'empty';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '...' : v)}`;
  return `a ${typeof v}`;
}

function ioMessage(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'ENOENT': return 'no such file or directory';
    case 'EACCES':
    case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'is a directory';
    case 'ELOOP': return 'too many levels of symbolic links';
    default: return e?.message ?? String(err);
  }
}

/**
 * Checks one parsed document and adds its object(s), expanding a `List`.
 */
function addDocument(
  value: unknown, file: string, index: number, line: number | undefined,
  itemLines: (i: number) => number | undefined, out: { objects: LoadedObject[]; errors: LoadError[] },
): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    out.errors.push({ file, index, message: `is ${describe(value)}, not a Kubernetes object (a mapping with apiVersion and kind)` });
    return;
  }
  const obj = value as Record<string, any>;
  const kindProblem = checkKind(obj);
  if (kindProblem) {
    out.errors.push({ file, index, message: kindProblem });
    return;
  }
  if (isList(obj)) {
    // the one expansion every reader shares (model/list-items): typed lists give their items a kind
    for (const entry of expandList(obj)) {
      const problem = entry.problem ?? checkKind(entry.object);
      if (problem) out.errors.push({ file, index, item: entry.item, message: problem });
      else out.objects.push(withLine({ file, index, item: entry.item, object: entry.object }, itemLines(entry.item!)));
    }
    return;
  }
  out.objects.push(withLine({ file, index, object: obj }, line));
}

function withLine(o: LoadedObject, line: number | undefined): LoadedObject {
  return line === undefined ? o : { ...o, line };
}

function checkKind(obj: Record<string, any>): string | undefined {
  if (obj.kind === undefined || obj.kind === null || obj.kind === '') {
    return 'object has no "kind": every Kubernetes object needs "apiVersion" and "kind"';
  }
  if (typeof obj.kind !== 'string') {
    return `"kind" must be a string, not ${describe(obj.kind)}`;
  }
  return undefined;
}

function yamlErrorMessage(doc: Document.Parsed, lineCounter: LineCounter): string {
  const first = doc.errors[0];
  const text = first.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  const pos = lineCounter.linePos(first.pos[0]);
  const more = doc.errors.length > 1 ? ` (and ${doc.errors.length - 1} more)` : '';
  return `not valid YAML: line ${pos.line}, column ${pos.col}: ${text}${more}`;
}

/** JSON.parse's message, with "at position N" turned into a line and column. */
function jsonErrorMessage(err: unknown, text: string): string {
  const msg = (err as Error).message;
  const m = / at position (\d+)/.exec(msg);
  if (!m) return msg;
  const before = text.slice(0, Number(m[1]));
  const line = before.split('\n').length;
  const col = before.length - before.lastIndexOf('\n');
  return `line ${line}, column ${col}: ${msg.replace(/ at position \d+.*$/, '')}`;
}

function isEmptyDocument(doc: Document.Parsed): boolean {
  const c: any = doc.contents;
  return c === null || c === undefined || (c.value === null && !isMap(c) && !isSeq(c));
}

/**
 * Parses the text of one file (or standard input) into objects and load errors.
 *
 * @param text the content
 * @param file the name to report
 * @param format `json` for JSON; otherwise YAML, or JSON when the text parses as JSON
 */
export function parseManifestText(text: string, file: string, format?: 'yaml' | 'json'): { objects: LoadedObject[]; errors: LoadError[] } {
  const out = { objects: [] as LoadedObject[], errors: [] as LoadError[] };
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.includes('\u0000')) {
    out.errors.push({ file, message: 'is not a text file (it contains NUL bytes); expected YAML or JSON' });
    return out;
  }
  const trimmed = text.trimStart();
  if (format === 'json' || trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      addDocument(JSON.parse(text), file, 0, undefined, () => undefined, out);
      return out;
    } catch (err) {
      if (format === 'json') {
        out.errors.push({ file, index: 0, message: `not valid JSON: ${trimmed === '' ? 'the file is empty' : jsonErrorMessage(err, text)}` });
        return out;
      }
      // not JSON after all: YAML flow style, read it as YAML below
    }
  }

  const lineCounter = new LineCounter();
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, {
      version: '1.1',
      lineCounter,
      customTags: (tags) => tags.filter((t) => (t as { tag?: string }).tag !== 'tag:yaml.org,2002:timestamp'),
    }) as Document.Parsed[];
  } catch (err) {
    out.errors.push({ file, message: `not valid YAML: ${(err as Error).message}` });
    return out;
  }
  if (!Array.isArray(docs)) docs = [docs];
  docs.forEach((doc, index) => {
    if (doc.errors.length > 0) {
      out.errors.push({ file, index, message: yamlErrorMessage(doc, lineCounter) });
      return;
    }
    if (isEmptyDocument(doc)) return;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (err) {
      out.errors.push({ file, index, message: `cannot be read: ${(err as Error).message}` });
      return;
    }
    const contents: any = doc.contents;
    const lineOf = (node: any): number | undefined => (node?.range ? lineCounter.linePos(node.range[0]).line : undefined);
    const itemsNode = isMap(contents) ? contents.get('items', true) : undefined;
    const itemLines = (i: number) => (isSeq(itemsNode) ? lineOf(itemsNode.items[i]) : undefined);
    addDocument(value, file, index, lineOf(contents), itemLines, out);
  });
  return out;
}

/**
 * Files a directory walk never reads: `cdk8s synth` writes its construct metadata next to the
 * manifests. Named explicitly, such a file is still read.
 */
const NOT_MANIFESTS: ReadonlySet<string> = new Set(['construct-metadata.json']);

function walkDirectory(dir: string, files: string[], errors: LoadError[], seen: Set<string>): void {
  let real: string;
  try {
    real = fs.realpathSync(dir);
  } catch (err) {
    errors.push({ file: dir, message: `cannot read directory: ${ioMessage(err)}` });
    return;
  }
  if (seen.has(real)) return; // a symbolic link loop
  seen.add(real);
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch (err) {
    errors.push({ file: dir, message: `cannot read directory: ${ioMessage(err)}` });
    return;
  }
  for (const name of entries.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (name.startsWith('.') || name === 'node_modules' || NOT_MANIFESTS.has(name)) continue;
    const full = path.join(dir, name);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(full);
    } catch (err) {
      errors.push({ file: full, message: `cannot read: ${ioMessage(err)}` });
      continue;
    }
    if (stat.isDirectory()) {
      walkDirectory(full, files, errors, seen);
    } else if (stat.isFile() && MANIFEST_EXTENSIONS.includes(path.extname(name).toLowerCase())) {
      files.push(full);
    }
  }
}

/**
 * Lists the files to read: each file argument as given (any extension), and every
 * `*.yaml`, `*.yml` and `*.json` file under each directory argument, recursively,
 * in sorted order, skipping hidden entries, `node_modules` and cdk8s's
 * `construct-metadata.json`. A file is listed once.
 */
export function collectFiles(paths: readonly string[]): { files: string[]; errors: LoadError[] } {
  const files: string[] = [];
  const errors: LoadError[] = [];
  for (const p of paths) {
    if (p === '-') {
      files.push(p);
      continue;
    }
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch (err) {
      errors.push({ file: p, message: `cannot read: ${ioMessage(err)}` });
      continue;
    }
    if (stat.isDirectory()) {
      walkDirectory(p, files, errors, new Set());
    } else {
      files.push(p);
    }
  }
  return { files: files.filter((f, i) => files.indexOf(f) === i), errors };
}

/**
 * Reads every object from files and directories (`-` is standard input).
 */
export function loadManifests(paths: readonly string[], options: LoadOptions = {}): LoadResult {
  const { files, errors } = collectFiles(paths);
  const objects: LoadedObject[] = [];
  for (const file of files) {
    const name = file === '-' ? STDIN_NAME : file;
    let text: string;
    try {
      text = file === '-' ? (options.readStdin ?? (() => fs.readFileSync(0, 'utf8')))() : fs.readFileSync(file, 'utf8');
    } catch (err) {
      errors.push({ file: name, message: `cannot read: ${ioMessage(err)}` });
      continue;
    }
    const format = path.extname(file).toLowerCase() === '.json' ? 'json' : undefined;
    const parsed = parseManifestText(text, name, format);
    objects.push(...parsed.objects);
    errors.push(...parsed.errors);
  }
  return { objects, errors, files };
}
