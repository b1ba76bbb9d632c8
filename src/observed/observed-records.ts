/**
 * The records of one flow file, one at a time: lines read in bounded memory (`line-reader.ts`),
 * the format detected from the first record (or given), each record read by its format's reader.
 * What cannot be read is yielded as a problem with its line, never thrown. Not part of the
 * public API; `ObservedFlows` aggregates what this yields.
 */
import { readCalicoRecord, isCalicoRecord } from './calico-reader';
import { FlowFormat } from './flow-format';
import { readGadgetRecord, isGadgetRecord } from './gadget-reader';
import { csvHeader, csvRecord, isGenericRecord, readGenericRecord } from './generic-reader';
import { isHubbleRecord, readHubbleRecord } from './hubble-reader';
import { NumberedLine } from './line-reader';
import { RecordError, RecordFlow, RecordReader } from './record-fields';

/** What one line gave. */
export type LineOutcome =
  | { readonly line: number; readonly flow: RecordFlow }
  | { readonly line: number; readonly skip: string }
  | { readonly line: number; readonly problem: string };

const READERS: Record<FlowFormat, RecordReader> = {
  [FlowFormat.HUBBLE]: readHubbleRecord,
  [FlowFormat.CALICO]: readCalicoRecord,
  [FlowFormat.GADGET]: readGadgetRecord,
  [FlowFormat.GENERIC]: readGenericRecord,
};

/** The format of a parsed JSON record, if it looks like one. */
export function detectFormat(record: unknown): FlowFormat | undefined {
  if (isHubbleRecord(record)) return FlowFormat.HUBBLE;
  if (isCalicoRecord(record)) return FlowFormat.CALICO;
  if (isGadgetRecord(record)) return FlowFormat.GADGET;
  if (isGenericRecord(record)) return FlowFormat.GENERIC;
  return undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new RecordError(`not JSON: ${(err as Error).message}`);
  }
}

/** Reads the lines of one file as records of `format` (detected from the first record when not given). */
export async function* observedRecords(lines: AsyncIterable<NumberedLine>, format?: FlowFormat): AsyncGenerator<LineOutcome> {
  let reader: RecordReader | undefined = format === undefined || format === FlowFormat.GENERIC ? undefined : READERS[format];
  let csvColumns: string[] | undefined;
  for await (const l of lines) {
    if (l.problem !== undefined) {
      yield { line: l.line, problem: l.problem };
      continue;
    }
    const text = l.text!;
    if (text.trim() === '') continue;
    try {
      if (csvColumns) {
        yield outcome(l.line, readGenericRecord(csvRecord(csvColumns, text)));
        continue;
      }
      if (!reader && !text.trimStart().startsWith('{')) {
        if (format !== undefined && format !== FlowFormat.GENERIC) throw new RecordError('not JSON: a JSON object per line was expected');
        csvColumns = csvHeader(text);
        continue;
      }
      const record = parseJson(text);
      if (!reader) {
        const detected = format ?? detectFormat(record);
        if (detected === undefined) {
          throw new RecordError('cannot tell the format from this record: it is not a Hubble flow, a Calico flow log, an Inspektor Gadget '
            + 'event or a generic {source, destination, protocol, port, count} record; give the format (--format-in)');
        }
        reader = READERS[detected];
      }
      yield outcome(l.line, reader(record));
    } catch (err) {
      // a reader's own error says which field; anything else is a record of a shape no reader expected
      yield { line: l.line, problem: err instanceof RecordError ? err.message : `a record of an unexpected shape: ${(err as Error).message}` };
    }
  }
}

function outcome(line: number, r: ReturnType<RecordReader>): LineOutcome {
  return 'skip' in r ? { line, skip: r.skip } : { line, flow: r };
}
