import { MAX_QUOTED_LENGTH } from './input-limits';

/**
 * A value quoted for a one-line message: JSON-quoted (so control characters are escaped), and
 * cut to `max` characters with the number of characters left out.
 */
export function quote(value: string, max: number = MAX_QUOTED_LENGTH): string {
  if (value.length <= max) return JSON.stringify(value);
  return `${JSON.stringify(value.slice(0, max))}... (${value.length - max} more characters)`;
}
