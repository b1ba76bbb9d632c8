/**
 * The Mermaid `flowchart LR` of allowed pairs, one line at a time, so that the library's
 * `TruthTable.toMermaid()` and the CLI's streamed `netpol matrix --format mermaid` print the same.
 */

import { mermaidLabel } from '../io/output-escape';

/**
 * The lines of the flowchart: one subgraph per namespace (and one for external endpoints), one
 * arrow per allowed pair; traffic from an endpoint to itself is left out.
 *
 * @param names the endpoints, `namespace/name` or an address
 * @param allowed whether the pair (by position) is allowed
 */
export function* mermaidFlowchart(names: readonly string[], allowed: (from: number, to: number) => boolean): Generator<string> {
  yield 'flowchart LR';
  const groups = new Map<string, number[]>();
  names.forEach((name, i) => {
    const slash = name.indexOf('/');
    const group = slash >= 0 ? name.slice(0, slash) : '';
    const members = groups.get(group);
    if (members) members.push(i);
    else groups.set(group, [i]);
  });
  let g = 0;
  for (const [group, members] of groups) {
    yield `  subgraph g${g++} ["${group === '' ? 'external' : mermaidLabel(group)}"]`;
    for (const i of members) yield `    n${i}["${mermaidLabel(names[i])}"]`;
    yield '  end';
  }
  for (let i = 0; i < names.length; i++) {
    for (let j = 0; j < names.length; j++) {
      if (i !== j && allowed(i, j)) yield `  n${i} --> n${j}`;
    }
  }
}
