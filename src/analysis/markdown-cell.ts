/**
 * The one escape for text in a Markdown table cell (`Connectivity.toMarkdown`,
 * `ConnectivityDiff.toMarkdown`): every name and port text printed in Markdown goes through it.
 * It is the output escaping module's (`io/output-escape`): plain names as they are, anything else
 * an unbreakable code span with `|` escaped.
 */
export { markdownCell } from '../io/output-escape';
