/**
 * The one escape for text in a Markdown table cell (`Connectivity.toMarkdown`,
 * `ConnectivityDiff.toMarkdown`): every name and port text printed in Markdown goes through it.
 */
export function markdownCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}
