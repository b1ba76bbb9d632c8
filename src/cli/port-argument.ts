import { InvalidArgumentError } from 'commander';
import { MAX_PORT, MIN_PORT } from '../constants';

/** A `--port` argument: a port number, or the name of a container port. */
export interface PortArgument {
  readonly number?: number;
  readonly name?: string;
}

/** An IANA service name, as a container port name must be (at most 15 characters, a-z, 0-9 and '-', a letter, no '--'). */
const PORT_NAME = /^(?=.*[a-z])[a-z0-9]([a-z0-9]|-(?!-)){0,14}$/;

/**
 * Parses a `--port` argument: a number from 1 to 65535, or a container port name (`http`,
 * `metrics`). Anything else, `-1` and `0` included, is a usage error.
 */
export function parsePortArgument(value: string): PortArgument {
  if (/^[0-9]+$/.test(value)) return { number: parsePortNumber(value) };
  if (PORT_NAME.test(value) && !value.endsWith('-')) return { name: value };
  throw new InvalidArgumentError('must be a port number (1-65535) or a container port name: at most 15 characters, '
    + 'lowercase letters, digits and single hyphens, at least one letter (e.g. http, metrics).');
}

/** The port as printed: `8080` or `metrics`. */
export function portText(port: PortArgument): string {
  return port.name ?? String(port.number);
}

/** Parses a port number argument (1-65535); anything else, `-1` and `0` included, is a usage error. */
export function parsePortNumber(value: string): number {
  const n = Number(value);
  if (!/^[0-9]+$/.test(value) || n < MIN_PORT || n > MAX_PORT) {
    throw new InvalidArgumentError(`a port number must be between ${MIN_PORT} and ${MAX_PORT}.`);
  }
  return n;
}
