import { child, invalid, isAbsent, isObject, notSupported, wrongType } from './field';
import { inclusiveRangeError, isIanaSvcName } from './names';
import { MAX_PORT, MIN_PORT, PROTOCOLS } from '../../constants';
import { FieldError } from '../field-error';


/** The problems with a port number (`IsValidPortNum` upstream). */
export function isValidPortNum(port: number): string[] {
  return port >= MIN_PORT && port <= MAX_PORT ? [] : [inclusiveRangeError(MIN_PORT, MAX_PORT)];
}

function validateEndPortType(endPort: unknown, path: string): FieldError[] {
  return Number.isInteger(endPort) ? [] : [wrongType(path, endPort, 'an integer')];
}

/**
 * Validates one NetworkPolicy port entry (`ValidateNetworkPolicyPort` upstream),
 * after defaulting (a missing protocol is TCP, so it is not an error here):
 * - `protocol` is exactly `TCP`, `UDP` or `SCTP`;
 * - a numeric `port` is 1–65535 (so `0` is invalid);
 * - a string `port` is a port name (IANA_SVC_NAME), so a quoted `"80"` is invalid;
 * - `endPort` needs a numeric `port`, is at least `port` and at most 65535.
 *
 * @param port the entry, e.g. `spec.ingress[0].ports[0]`
 * @param path its field path
 */
export function validatePort(port: any, path: string): FieldError[] {
  if (!isObject(port)) return [wrongType(path, port, 'an object')];
  const errs: FieldError[] = [];
  const protocolPath = child(path, 'protocol');
  const portPath = child(path, 'port');
  const endPortPath = child(path, 'endPort');
  const { protocol, port: num, endPort } = port;

  if (!isAbsent(protocol) && !(PROTOCOLS as readonly string[]).includes(protocol as string)) {
    errs.push(notSupported(protocolPath, protocol, PROTOCOLS));
  }

  if (isAbsent(num)) {
    if (!isAbsent(endPort)) {
      errs.push(invalid(endPortPath, endPort, 'may not be specified when `port` is not specified'));
    }
  } else if (typeof num === 'number') {
    if (!Number.isInteger(num)) {
      errs.push(wrongType(portPath, num, 'an integer'));
    } else {
      errs.push(...isValidPortNum(num).map((msg) => invalid(portPath, num, msg)));
    }
    if (!isAbsent(endPort)) {
      const typeErrs = validateEndPortType(endPort, endPortPath);
      errs.push(...typeErrs);
      if (typeErrs.length === 0) {
        const end = endPort as number;
        if (Number.isInteger(num) && end < num) {
          errs.push(invalid(endPortPath, end, 'must be greater than or equal to `port`'));
        }
        errs.push(...isValidPortNum(end).map((msg) => invalid(endPortPath, end, msg)));
      }
    }
  } else if (typeof num === 'string') {
    if (!isAbsent(endPort)) {
      errs.push(invalid(endPortPath, endPort, 'may not be specified when `port` is non-numeric'));
    }
    const numeric = /^\d+$/.test(num);
    for (const msg of isIanaSvcName(num)) {
      const hint = numeric && msg.startsWith('must contain at least one letter')
        ? `${msg}; a quoted number is a port name: to match port number ${num}, write it without quotes`
        : msg;
      errs.push(invalid(portPath, num, hint));
    }
  } else {
    errs.push(wrongType(portPath, num, 'an integer (a port number) or a string (a port name)'));
  }
  return errs;
}
