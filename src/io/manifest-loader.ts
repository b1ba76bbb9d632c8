import * as fs from 'fs';
import * as path from 'path';
import { Composer, Document, isMap, isPair, isScalar, isSeq, Parser, visit } from 'yaml';
import { readSimpleYaml } from './fast-yaml';
import { goYamlTags, isBoolLikeScalar } from './go-yaml-schema';
import { DEFAULT_MAX_FILE_BYTES, MAX_ALIAS_COUNT, MAX_NESTING_DEPTH } from './input-limits';
import { scanJsonText } from './json-scan';
import { checkParsedValue } from './parsed-value-check';
import { quote } from './quote';
import { InputReadError, ioMessage, readRegularFile, readStandardInput } from './read-input';
import { decodeText } from './text-encoding';
import { expandList, isList } from '../model/list-items';

/**
 * Reads Kubernetes manifests from files and directories: multi-document YAML and
 * JSON, with `List` kinds (`kind: List`, `kind: NetworkPolicyList`, ... with
 * `items`) expanded into their items, recursively (a `List` inside a `List` is
 * flattened, as kubectl flattens it). Items of a typed list (`NetworkPolicyList`)
 * without `kind`, as the API returns them, get the list's item kind and
 * apiVersion. Generic: any kind is returned.
 *
 * YAML is read as kubectl reads it (go-yaml v2 through `sigs.k8s.io/yaml`; every
 * difference from YAML 1.1 is listed in `go-yaml-schema.ts`): `yes`, `on`, `n` are
 * booleans, `010` is octal, `1:20` and dates stay strings. Duplicate mapping keys
 * are errors, in YAML and in JSON, as in kubectl's strict decoding. Empty
 * documents are skipped, as kubectl skips them.
 *
 * Hostile input is refused with a message, never a crash: anything but a regular
 * file or standard input (a FIFO, a device), a file over the size limit, nesting
 * deeper than `MAX_NESTING_DEPTH`, an alias inside its own anchor, excessive alias
 * expansion. Problems never throw: they are returned as load errors naming the
 * file and, where it applies, the document and line.
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

/** Something read that is probably not what the author meant, but is read as kubectl reads it. */
export type LoadWarning = LoadError;

/** Everything read from some input. */
export interface LoadResult {
  /** The objects, in file order, then document order, then item order. */
  readonly objects: LoadedObject[];
  /**
   * The problems: first those found while listing the paths (missing files,
   * unreadable directories), then those of each file in file order.
   */
  readonly errors: LoadError[];
  /** What was read, but looks like a mistake (invalid UTF-8, `n:` read as a boolean, skipped files). */
  readonly warnings: LoadWarning[];
  /** The files read (or tried), in order (`-` for standard input). */
  readonly files: string[];
}

/** Options for `loadManifests`. */
export interface LoadOptions {
  /** Reads standard input, for the path `-`. @default - reads file descriptor 0, within `maxFileBytes` */
  readonly readStdin?: () => string | Uint8Array;
  /** The largest file read, in bytes. @default DEFAULT_MAX_FILE_BYTES (256 MiB) */
  readonly maxFileBytes?: number;
  /**
   * Skip, with a warning, a file none of whose documents is a Kubernetes object (a
   * Helm values file, a JSON report next to the manifests). A file that does not
   * parse, or that mixes objects and other documents, is still an error.
   * @default false
   */
  readonly skipNonManifests?: boolean;
  /**
   * Read the subdirectories of a directory argument too, as `kubectl apply -R` does. Without
   * it, only the files directly in the directory are read, as `kubectl apply -f` reads them
   * (with a warning for each subdirectory that holds manifests).
   * @default false
   */
  readonly recursive?: boolean;
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
  if (typeof v === 'string') return `the string ${quote(v, 40)}`;
  return `a ${typeof v}`;
}

/** Where the documents of one file go. */
interface FileSink {
  /** Takes each object as soon as it is read. */
  readonly object: (o: LoadedObject) => void;
  objectCount: number;
  /** An error the consumer of the objects threw: it goes through, never reported as a problem of the input. */
  consumerError?: unknown;
  readonly errors: LoadError[];
  readonly warnings: LoadWarning[];
  /** Documents that are not Kubernetes objects (counted apart, for `skipNonManifests`). */
  notObjects: LoadError[];
}

const NOT_AN_OBJECT = 'not a Kubernetes object (a mapping with apiVersion and kind)';

/**
 * Checks one parsed document and adds its object(s), expanding `List`s recursively.
 */
function addDocument(
  value: unknown, file: string, index: number, line: number | undefined,
  itemLines: (i: number) => number | undefined, out: FileSink,
): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    out.notObjects.push({ file, index, message: `is ${describe(value)}, ${NOT_AN_OBJECT}` });
    return;
  }
  const obj = value as Record<string, any>;
  const kindProblem = checkKind(obj);
  if (kindProblem) {
    out.notObjects.push({ file, index, message: kindProblem });
    return;
  }
  if (!isList(obj)) {
    emit(out, withLine({ file, index, object: obj }, line));
    return;
  }
  // the one expansion every reader shares (model/list-items): typed lists give their items a
  // kind, nested lists are flattened in place
  for (const entry of expandList(obj)) {
    const problem = entry.problem ?? checkKind(entry.object);
    if (problem) out.errors.push({ file, index, item: entry.item, message: problem });
    else emit(out, withLine({ file, index, item: entry.item, object: entry.object }, itemLines(entry.item!)));
  }
}

function emit(out: FileSink, o: LoadedObject): void {
  out.objectCount++;
  try {
    out.object(o);
  } catch (err) {
    out.consumerError = err;
    throw err;
  }
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

/** Line numbers of offsets in a text, counted incrementally (documents come in order). */
class LineFinder {
  private offset = 0;
  private line = 1;
  private lineStart = 0;
  constructor(private readonly text: string) {}

  /** The 1-based line and column of an offset. */
  public at(offset: number): { line: number; col: number } {
    if (offset < this.offset) {
      this.offset = 0;
      this.line = 1;
      this.lineStart = 0;
    }
    let i = this.text.indexOf('\n', this.offset);
    while (i >= 0 && i < offset) {
      this.line++;
      this.lineStart = i + 1;
      i = this.text.indexOf('\n', i + 1);
    }
    this.offset = offset;
    return { line: this.line, col: offset - this.lineStart + 1 };
  }
}

function yamlErrorMessage(doc: Document.Parsed, text: string, lines: LineFinder): string {
  const first = doc.errors[0];
  const pos = lines.at(first.pos[0]);
  const more = doc.errors.length > 1 ? ` (and ${doc.errors.length - 1} more)` : '';
  if (first.code === 'DUPLICATE_KEY') {
    const source = text.slice(first.pos[0], first.pos[0] + 300);
    const key = (/^("(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*'|[^\n]*?)(?=\s*:(?:\s|$)|\n|$)/.exec(source)?.[1] ?? source).trim();
    const shown = /^["']/.test(key) ? (key.length > 80 ? `${key.slice(0, 80)}...` : key) : quote(key);
    return `duplicate key ${shown} at line ${pos.line}, column ${pos.col}: kubectl's strict decoding rejects `
      + `duplicate fields (here the last one would silently win); keep only one${more}`;
  }
  const raw = first.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  if (/Maximum call stack size exceeded/.test(raw)) {
    return `nested too deeply to read (at line ${pos.line}); the limit is ${MAX_NESTING_DEPTH} levels, and no Kubernetes object comes near it`;
  }
  if (first.code === 'ALIAS_PROPS' || /alias/i.test(raw)) {
    return `not valid YAML: line ${pos.line}, column ${pos.col}: ${raw}${more}`;
  }
  return `not valid YAML: line ${pos.line}, column ${pos.col}: ${raw}${more}`;
}

/** JSON.parse's message, with "at position N" turned into a line and column. */
function jsonErrorMessage(err: unknown, text: string): string {
  const msg = (err as Error).message;
  if (/Maximum call stack size exceeded/.test(msg)) {
    return `nested too deeply to read; the limit is ${MAX_NESTING_DEPTH} levels`;
  }
  const m = / at position (\d+)/.exec(msg);
  if (!m) return msg;
  const pos = new LineFinder(text).at(Number(m[1]));
  return `line ${pos.line}, column ${pos.col}: ${msg.replace(/ at position \d+.*$/, '')}`;
}

function isEmptyDocument(doc: Document.Parsed): boolean {
  const c: any = doc.contents;
  return c === null || c === undefined || (c.value === null && !isMap(c) && !isSeq(c));
}

/** Where in a document a boolean-like scalar sits: as a key, in `metadata`, or elsewhere. */
interface BoolLike { readonly line: number; readonly text: string; readonly value: boolean; readonly key: boolean; readonly inMetadata: boolean }

function findBoolLikeScalars(doc: Document.Parsed, lines: LineFinder): BoolLike[] {
  const found: Array<{ offset: number; text: string; value: boolean; key: boolean; inMetadata: boolean }> = [];
  visit(doc, {
    Scalar(key, node, ancestors) {
      if (!isBoolLikeScalar(node)) return;
      const inMetadata = ancestors.some((a) => isPair(a) && isScalar(a.key) && a.key.value === 'metadata');
      found.push({ offset: node.range?.[0] ?? 0, text: String(node.source), value: node.value as boolean, key: key === 'key', inMetadata });
    },
  });
  return found.sort((a, b) => a.offset - b.offset).map((f) => ({ ...f, line: lines.at(f.offset).line }));
}

function boolLikeWarning(b: BoolLike): string {
  const as = b.key ? `the key ${b.text} is read as the boolean ${b.value}, so it becomes the key "${b.value}"`
    : `${b.text} is read as the boolean ${b.value}`;
  return `line ${b.line}: ${as} (YAML 1.1, as kubectl reads it); write "${b.text}" in quotes if you meant the string`;
}

function parseJson(text: string, file: string, format: 'json' | undefined, out: FileSink): boolean {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    if (format === 'json') {
      out.errors.push({ file, index: 0, message: `not valid JSON: ${text.trim() === '' ? 'the file is empty' : jsonErrorMessage(err, text)}` });
      return true;
    }
    return false; // not JSON after all: YAML flow style, read it as YAML
  }
  const problem = scanJsonText(text, MAX_NESTING_DEPTH);
  if (problem) {
    out.errors.push({ file, index: 0, message: problem.message });
    return true;
  }
  addDocument(value, file, 0, undefined, () => undefined, out);
  return true;
}

function parseYaml(text: string, file: string, out: FileSink): void {
  // the fast path, for files in a subset of YAML whose reading is certain (fast-yaml.ts): the
  // same objects and lines as below, and never a warning or error
  const simple = readSimpleYaml(text);
  if (simple !== undefined) {
    simple.forEach((doc, index) => {
      if (doc.value !== null) addDocument(doc.value, file, index, doc.line, () => undefined, out);
    });
    return;
  }
  const lines = new LineFinder(text);
  const composer = new Composer({ version: '1.1', customTags: goYamlTags, uniqueKeys: true });
  const parser = new Parser();
  let index = 0;
  try {
    for (const doc of composer.compose(parser.parse(text), true, text.length)) {
      addYamlDocument(doc as Document.Parsed, index++, text, file, lines, out);
    }
  } catch (err) {
    if (out.consumerError !== undefined && err === out.consumerError) throw err;
    out.errors.push({ file, index, message: `not valid YAML: ${(err as Error).message.split('\n')[0]}` });
  }
}

function addYamlDocument(doc: Document.Parsed, index: number, text: string, file: string, lines: LineFinder, out: FileSink): void {
  if (doc.errors.length > 0) {
    out.errors.push({ file, index, message: yamlErrorMessage(doc, text, lines) });
    return;
  }
  if (isEmptyDocument(doc)) return;
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    const message = (err as Error).message;
    out.errors.push({
      file,
      index,
      message: /Excessive alias count/.test(message)
        ? `expands YAML aliases more than ${MAX_ALIAS_COUNT} times (a "billion laughs" document); kubectl refuses it too`
        : /Maximum call stack size exceeded/.test(message)
          ? `nested too deeply to read; the limit is ${MAX_NESTING_DEPTH} levels`
          : `cannot be read: ${message.split('\n')[0]}`,
    });
    return;
  }
  const problem = checkParsedValue(value, MAX_NESTING_DEPTH);
  if (problem) {
    out.errors.push({ file, index, message: problem });
    return;
  }
  const contents: any = doc.contents;
  const lineOf = (node: any): number | undefined => (node?.range ? lines.at(node.range[0]).line : undefined);
  const line = lineOf(contents);
  const isPolicy = typeof value === 'object' && value !== null && (value as any).kind === 'NetworkPolicy';
  for (const b of findBoolLikeScalars(doc, lines)) {
    if (b.key || b.inMetadata || isPolicy) out.warnings.push({ file, index, message: boolLikeWarning(b) });
  }
  const itemsNode = isMap(contents) ? contents.get('items', true) : undefined;
  const itemLines = (i: number) => (isSeq(itemsNode) ? lineOf(itemsNode.items[i]) : undefined);
  addDocument(value, file, index, line, itemLines, out);
}

/** Bytes as text, as kubectl decodes them (`decodeText`): a warning for invalid UTF-8, an error for UTF-16 without a byte order mark. */
function decode(bytes: Uint8Array, file: string, warnings: LoadWarning[]): string {
  const decoded = decodeText(bytes);
  if (decoded.problem) throw new InputReadError(decoded.problem);
  if (decoded.warning) warnings.push({ file, message: decoded.warning });
  return decoded.text;
}

/**
 * Parses the text of one file (or standard input) into objects, load errors and warnings.
 *
 * @param text the content
 * @param file the name to report
 * @param format `json` for JSON; otherwise YAML, or JSON when the text parses as JSON
 * @param options `skipNonManifests`
 */
export function parseManifestText(
  text: string, file: string, format?: 'yaml' | 'json', options: Pick<LoadOptions, 'skipNonManifests'> = {},
): { objects: LoadedObject[]; errors: LoadError[]; warnings: LoadWarning[] } {
  const objects: LoadedObject[] = [];
  const { errors, warnings } = streamManifestText(text, file, format, options, (o) => { objects.push(o); });
  return { objects, errors, warnings };
}

/**
 * Parses the text of one file, handing each object over as soon as its document is read (a
 * caller that does not keep them holds one document at a time, whatever the size of the file).
 * With `skipNonManifests`, a file in which no document is a Kubernetes object gives a warning
 * instead of errors.
 */
export function streamManifestText(
  text: string, file: string, format: 'yaml' | 'json' | undefined, options: Pick<LoadOptions, 'skipNonManifests'>,
  onObject: (o: LoadedObject) => void,
): { errors: LoadError[]; warnings: LoadWarning[]; objectCount: number } {
  const out: FileSink = { object: onObject, objectCount: 0, errors: [], warnings: [], notObjects: [] };
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.includes('\u0000')) {
    out.errors.push({ file, message: 'is not a text file (it contains NUL bytes); expected YAML or JSON' });
    return out;
  }
  const first = /\S/.exec(text.length > 4096 ? text.slice(0, 4096) : text)?.[0];
  const asJson = format === 'json' || first === '{' || first === '[';
  if (!(asJson && parseJson(text, file, format === 'json' ? 'json' : undefined, out))) {
    parseYaml(text, file, out);
  }
  if (out.notObjects.length > 0) {
    if (options.skipNonManifests && out.objectCount === 0 && out.errors.length === 0) {
      return {
        errors: [],
        objectCount: 0,
        warnings: [{
          file,
          message: `skipped (--skip-non-manifests): no document in it is a Kubernetes object (document ${out.notObjects[0].index}: `
            + `${out.notObjects[0].message})`,
        }],
      };
    }
    for (const e of out.notObjects) out.errors.push(e);
    out.errors.sort((a, b) => (a.index ?? -1) - (b.index ?? -1));
  }
  return out;
}

/**
 * Files a directory walk never reads: `cdk8s synth` writes its construct metadata next to the
 * manifests. Named explicitly, such a file is still read.
 */
const NOT_MANIFESTS: ReadonlySet<string> = new Set(['construct-metadata.json']);

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whether `target` is `root` or inside it (both real paths). */
function isInside(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** The names of the manifest files directly in a directory (for the warning about a directory not read). */
function hasManifestFiles(dir: string): boolean {
  try {
    return fs.readdirSync(dir, { withFileTypes: true }).some((e) => !e.isDirectory() && MANIFEST_EXTENSIONS.includes(path.extname(e.name)));
  } catch {
    return false;
  }
}

/**
 * Lists the files `kubectl apply -f <dir>` reads (cli-runtime's `ExpandPathsToFileVisitors`, a
 * `filepath.Walk`): every entry whose name ends in `.json`, `.yaml` or `.yml` (exactly, as kubectl
 * compares them), hidden files and `node_modules` included, in lexical order; subdirectories only
 * with `recursive` (kubectl's `-R`), each where it comes in that order. Symbolic links are not
 * followed into directories (kubectl's walk does not follow them either), so the walk can neither
 * loop nor leave the tree: a link named like a manifest is read when it points to a file inside
 * the tree, and is an error otherwise (kubectl would read a file anywhere, or fail on a
 * directory; netpol never reads outside the tree it was given, and says so).
 */
function walkDirectory(dir: string, recursive: boolean, files: string[], errors: LoadError[], warnings: LoadWarning[]): void {
  let root: string;
  try {
    root = fs.realpathSync(dir);
  } catch (err) {
    errors.push({ file: dir, message: `cannot read directory: ${ioMessage(err)}` });
    return;
  }
  // an explicit stack, in reverse order: directory trees can be deeper than the call stack
  const pending: Array<{ dir: string } | { file: string }> = [{ dir }];
  const skipped: string[] = [];
  while (pending.length > 0) {
    const next = pending.pop()!;
    if ('file' in next) {
      files.push(next.file);
      continue;
    }
    const current = next.dir;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(current, { withFileTypes: true });
    } catch (err) {
      errors.push({ file: current, message: `cannot read directory: ${ioMessage(err)}` });
      continue;
    }
    const found: Array<{ dir: string } | { file: string }> = [];
    for (const entry of entries.sort((a, b) => byName(a.name, b.name))) {
      const full = path.join(current, entry.name);
      const type = entryType(entry, full);
      if (type === 'directory') {
        if (recursive) found.push({ dir: full });
        else if (hasManifestFiles(full)) skipped.push(full);
        continue;
      }
      if (!MANIFEST_EXTENSIONS.includes(path.extname(entry.name)) || NOT_MANIFESTS.has(entry.name)) continue;
      if (type === 'link') {
        const problem = linkProblem(full, root);
        if (problem) {
          errors.push({ file: full, message: problem });
          continue;
        }
      }
      found.push({ file: full });
    }
    for (let i = found.length - 1; i >= 0; i--) pending.push(found[i]);
  }
  for (const s of skipped) {
    warnings.push({
      file: s,
      message: 'not read: it is a subdirectory, and kubectl apply -f reads only the files directly in the directory it is given; '
        + 'pass -R (--recursive) to read subdirectories, as kubectl apply -R does',
    });
  }
}

/** What a directory entry is, without following a symbolic link (some file systems do not say: then lstat). */
function entryType(entry: fs.Dirent, full: string): 'directory' | 'link' | 'other' {
  let e: fs.Dirent | fs.Stats = entry;
  if (!entry.isFile() && !entry.isDirectory() && !entry.isSymbolicLink() && !entry.isFIFO() && !entry.isSocket()
    && !entry.isBlockDevice() && !entry.isCharacterDevice()) {
    try {
      e = fs.lstatSync(full);
    } catch {
      return 'other'; // reading it reports why
    }
  }
  return e.isDirectory() ? 'directory' : e.isSymbolicLink() ? 'link' : 'other';
}

/** Why a symbolic link named like a manifest cannot be read, or undefined when it points to a file inside the tree. */
function linkProblem(link: string, root: string): string | undefined {
  let target: string;
  let stat: fs.Stats;
  try {
    target = fs.realpathSync(link);
    stat = fs.statSync(target);
  } catch (err) {
    return `cannot read: a symbolic link whose target cannot be read (${ioMessage(err)})`;
  }
  if (stat.isDirectory()) {
    return 'is a symbolic link to a directory: kubectl apply -f fails on it (its directory walk does not follow links); remove it, or name the directory itself';
  }
  if (!isInside(root, target)) {
    return `is a symbolic link to ${quote(target)}, outside the directory given: netpol never reads outside the tree it is given `
      + '(kubectl apply would read it): name that file explicitly if it belongs to the input';
  }
  return undefined;
}

/**
 * Lists the files to read, as `kubectl apply -f` lists them for the same arguments: each file
 * argument as given (any extension), and under each directory argument the files `walkDirectory`
 * lists (with `recursive`, those of its subdirectories too). A file is listed once, however it
 * is named (`a.yaml`, `./a.yaml`, a symbolic link to it); `-` once.
 */
export function collectFiles(
  paths: readonly string[], options: { readonly recursive?: boolean } = {},
): { files: string[]; errors: LoadError[]; warnings: LoadWarning[] } {
  const found: string[] = [];
  const errors: LoadError[] = [];
  const warnings: LoadWarning[] = [];
  for (const p of paths) {
    if (p === '-') {
      found.push(p);
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
      walkDirectory(p, options.recursive ?? false, found, errors, warnings);
    } else {
      found.push(p);
    }
  }
  const seen = new Set<string>();
  const files: string[] = [];
  for (const f of found) {
    let key = f;
    if (f !== '-') {
      try {
        // the system's realpath: a key only (the JavaScript one lstats every component of every path)
        key = fs.realpathSync.native(f);
      } catch {
        key = path.resolve(f);
      }
    }
    if (seen.has(key)) continue;
    seen.add(key);
    files.push(f);
  }
  return { files, errors, warnings };
}

/** What `forEachManifest` read, besides the objects it handed over. */
export interface LoadSummary {
  readonly errors: LoadError[];
  readonly warnings: LoadWarning[];
  readonly files: string[];
  /** The number of objects handed over. */
  readonly objectCount: number;
}

/**
 * Reads every object from files and directories (`-` is standard input), handing each
 * object over as soon as its file is read, so that a caller that does not keep them
 * holds one file at a time.
 */
export function forEachManifest(paths: readonly string[], options: LoadOptions, onObject: (o: LoadedObject) => void): LoadSummary {
  const { files, errors, warnings } = collectFiles(paths, { recursive: options.recursive });
  const limit = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  let objectCount = 0;
  for (const file of files) {
    const name = file === '-' ? STDIN_NAME : file;
    let text: string;
    try {
      let content: string | Uint8Array;
      if (file === '-') content = options.readStdin ? options.readStdin() : readStandardInput(limit);
      else content = readRegularFile(file, limit);
      if (typeof content === 'string') {
        if (content.length > limit) throw new InputReadError(`is larger than the limit of ${limit} bytes per file; split it, or raise the limit with --max-file-size`);
        text = content;
      } else {
        text = decode(content, name, warnings);
      }
    } catch (err) {
      errors.push({ file: name, message: err instanceof InputReadError ? err.message : `cannot read: ${ioMessage(err)}` });
      continue;
    }
    const format = path.extname(file).toLowerCase() === '.json' ? 'json' : undefined;
    const parsed = streamManifestText(text, name, format, options, onObject);
    objectCount += parsed.objectCount;
    for (const e of parsed.errors) errors.push(e);
    for (const w of parsed.warnings) warnings.push(w);
  }
  return { errors, warnings, files, objectCount };
}

/**
 * Reads every object from files and directories (`-` is standard input).
 */
export function loadManifests(paths: readonly string[], options: LoadOptions = {}): LoadResult {
  const objects: LoadedObject[] = [];
  const summary = forEachManifest(paths, options, (o) => { objects.push(o); });
  return { objects, errors: summary.errors, warnings: summary.warnings, files: summary.files };
}
