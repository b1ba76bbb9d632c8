/**
 * Conformance scenarios modelled on the upstream Kubernetes network-policy e2e tests
 * (test/e2e/network/netpol): every table is the full 9×9 truth table of the x/y/z cluster,
 * written by hand from the specification. Rows are sources, columns destinations;
 * `.` allowed, `X` denied.
 *
 * The tables state what policies alone decide, self-traffic included (`SelfTraffic.EVALUATE`);
 * with the default `SelfTraffic.ALLOW` the same tables hold with the diagonal allowed.
 */
import {
  ENDPOINTS, SelfTraffic, conformanceModel, connectivityGrid, parseCase, parseGrid, policy, queryGrid, renderGrid, tableGrid, withAllowedDiagonal,
} from './conformance-fixture';

const ALL_ALLOWED = `
-   x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a  .   .   .   .   .   .   .   .   .
x/b  .   .   .   .   .   .   .   .   .
x/c  .   .   .   .   .   .   .   .   .
y/a  .   .   .   .   .   .   .   .   .
y/b  .   .   .   .   .   .   .   .   .
y/c  .   .   .   .   .   .   .   .   .
z/a  .   .   .   .   .   .   .   .   .
z/b  .   .   .   .   .   .   .   .   .
z/c  .   .   .   .   .   .   .   .   .
`;

/** Ingress to x/a denied from everyone. */
const X_A_ISOLATED = `
-   x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a  X   .   .   .   .   .   .   .   .
x/b  X   .   .   .   .   .   .   .   .
x/c  X   .   .   .   .   .   .   .   .
y/a  X   .   .   .   .   .   .   .   .
y/b  X   .   .   .   .   .   .   .   .
y/c  X   .   .   .   .   .   .   .   .
z/a  X   .   .   .   .   .   .   .   .
z/b  X   .   .   .   .   .   .   .   .
z/c  X   .   .   .   .   .   .   .   .
`;

/** Egress from x/a denied to everyone. */
const X_A_EGRESS_ISOLATED = `
-   x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a  X   X   X   X   X   X   X   X   X
x/b  .   .   .   .   .   .   .   .   .
x/c  .   .   .   .   .   .   .   .   .
y/a  .   .   .   .   .   .   .   .   .
y/b  .   .   .   .   .   .   .   .   .
y/c  .   .   .   .   .   .   .   .   .
z/a  .   .   .   .   .   .   .   .   .
z/b  .   .   .   .   .   .   .   .   .
z/c  .   .   .   .   .   .   .   .   .
`;

/** Ingress to x/a allowed only from x/b. */
const X_A_FROM_X_B = `
-   x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a  X   .   .   .   .   .   .   .   .
x/b  .   .   .   .   .   .   .   .   .
x/c  X   .   .   .   .   .   .   .   .
y/a  X   .   .   .   .   .   .   .   .
y/b  X   .   .   .   .   .   .   .   .
y/c  X   .   .   .   .   .   .   .   .
z/a  X   .   .   .   .   .   .   .   .
z/b  X   .   .   .   .   .   .   .   .
z/c  X   .   .   .   .   .   .   .   .
`;

/** Ingress to x/a allowed only from namespace y. */
const X_A_FROM_Y = `
-   x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a  X   .   .   .   .   .   .   .   .
x/b  X   .   .   .   .   .   .   .   .
x/c  X   .   .   .   .   .   .   .   .
y/a  .   .   .   .   .   .   .   .   .
y/b  .   .   .   .   .   .   .   .   .
y/c  .   .   .   .   .   .   .   .   .
z/a  X   .   .   .   .   .   .   .   .
z/b  X   .   .   .   .   .   .   .   .
z/c  X   .   .   .   .   .   .   .   .
`;

/** Ingress to x/a allowed only from namespaces y and z. */
const X_A_FROM_Y_Z = `
-   x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a  X   .   .   .   .   .   .   .   .
x/b  X   .   .   .   .   .   .   .   .
x/c  X   .   .   .   .   .   .   .   .
y/a  .   .   .   .   .   .   .   .   .
y/b  .   .   .   .   .   .   .   .   .
y/c  .   .   .   .   .   .   .   .   .
z/a  .   .   .   .   .   .   .   .   .
z/b  .   .   .   .   .   .   .   .   .
z/c  .   .   .   .   .   .   .   .   .
`;

interface Scenario {
  readonly name: string;
  readonly policies: any[];
  readonly ipBlockMatchesPodIps?: boolean;
  /** Expected tables by `PROTOCOL/port`. */
  readonly tables: Record<string, string>;
}

const fromPodB = { podSelector: { matchLabels: { pod: 'b' } } };
const nsNamed = (name: string) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } });
const podA = { matchLabels: { pod: 'a' } };

const scenarios: Scenario[] = [
  {
    name: 'no policies: everything is allowed',
    policies: [],
    tables: { 'TCP/80': ALL_ALLOWED, 'UDP/81': ALL_ALLOWED, 'SCTP/80': ALL_ALLOWED },
  },
  {
    name: 'default-deny-ingress in x isolates every pod of x, from every namespace',
    policies: [policy('x', 'deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] })],
    tables: {
      'TCP/80': `
-   x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a  X   X   X   .   .   .   .   .   .
x/b  X   X   X   .   .   .   .   .   .
x/c  X   X   X   .   .   .   .   .   .
y/a  X   X   X   .   .   .   .   .   .
y/b  X   X   X   .   .   .   .   .   .
y/c  X   X   X   .   .   .   .   .   .
z/a  X   X   X   .   .   .   .   .   .
z/b  X   X   X   .   .   .   .   .   .
z/c  X   X   X   .   .   .   .   .   .
`,
      'UDP/81': `
-   x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a  X   X   X   .   .   .   .   .   .
x/b  X   X   X   .   .   .   .   .   .
x/c  X   X   X   .   .   .   .   .   .
y/a  X   X   X   .   .   .   .   .   .
y/b  X   X   X   .   .   .   .   .   .
y/c  X   X   X   .   .   .   .   .   .
z/a  X   X   X   .   .   .   .   .   .
z/b  X   X   X   .   .   .   .   .   .
z/c  X   X   X   .   .   .   .   .   .
`,
    },
  },
  {
    name: 'default-deny-all in x blocks traffic into and out of x',
    policies: [policy('x', 'deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [], egress: [] })],
    tables: {
      'TCP/80': `
-   x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a  X   X   X   X   X   X   X   X   X
x/b  X   X   X   X   X   X   X   X   X
x/c  X   X   X   X   X   X   X   X   X
y/a  X   X   X   .   .   .   .   .   .
y/b  X   X   X   .   .   .   .   .   .
y/c  X   X   X   .   .   .   .   .   .
z/a  X   X   X   .   .   .   .   .   .
z/b  X   X   X   .   .   .   .   .   .
z/c  X   X   X   .   .   .   .   .   .
`,
      'SCTP/81': `
-   x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a  X   X   X   X   X   X   X   X   X
x/b  X   X   X   X   X   X   X   X   X
x/c  X   X   X   X   X   X   X   X   X
y/a  X   X   X   .   .   .   .   .   .
y/b  X   X   X   .   .   .   .   .   .
y/c  X   X   X   .   .   .   .   .   .
z/a  X   X   X   .   .   .   .   .   .
z/b  X   X   X   .   .   .   .   .   .
z/c  X   X   X   .   .   .   .   .   .
`,
    },
  },
  {
    name: 'default-deny-egress in x blocks only traffic out of x',
    policies: [policy('x', 'deny-egress', { podSelector: {}, policyTypes: ['Egress'] })],
    tables: {
      'TCP/80': `
-   x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a  X   X   X   X   X   X   X   X   X
x/b  X   X   X   X   X   X   X   X   X
x/c  X   X   X   X   X   X   X   X   X
y/a  .   .   .   .   .   .   .   .   .
y/b  .   .   .   .   .   .   .   .   .
y/c  .   .   .   .   .   .   .   .   .
z/a  .   .   .   .   .   .   .   .   .
z/b  .   .   .   .   .   .   .   .   .
z/c  .   .   .   .   .   .   .   .   .
`,
    },
  },
  {
    name: 'an allow-all ingress rule (no from, no ports) isolates but allows everything',
    policies: [policy('x', 'allow-all-ingress', { podSelector: {}, ingress: [{}] })],
    tables: { 'TCP/80': ALL_ALLOWED, 'UDP/80': ALL_ALLOWED, 'SCTP/81': ALL_ALLOWED },
  },
  {
    name: 'an allow-all egress policy takes precedence over a deny-all egress policy',
    policies: [
      policy('x', 'deny-egress', { podSelector: {}, policyTypes: ['Egress'] }),
      policy('x', 'allow-all-egress', { podSelector: {}, policyTypes: ['Egress'], egress: [{}] }),
    ],
    tables: { 'TCP/80': ALL_ALLOWED, 'UDP/81': ALL_ALLOWED },
  },
  {
    name: 'a podSelector peer alone selects pods in the policy namespace only',
    policies: [policy('x', 'x-a-allows-x-b', { podSelector: podA, ingress: [{ from: [fromPodB] }] })],
    tables: { 'TCP/80': X_A_FROM_X_B },
  },
  {
    name: 'namespaceSelector {} selects every pod in every namespace',
    policies: [policy('x', 'allow-from-all-namespaces', { podSelector: podA, ingress: [{ from: [{ namespaceSelector: {} }] }] })],
    tables: { 'TCP/80': ALL_ALLOWED },
  },
  {
    name: 'namespaceSelector on the kubernetes.io/metadata.name label selects a namespace by name',
    policies: [policy('x', 'allow-from-y', { podSelector: podA, ingress: [{ from: [nsNamed('y')] }] })],
    tables: { 'TCP/80': X_A_FROM_Y },
  },
  {
    name: 'podSelector with matchExpressions In',
    policies: [policy('x', 'allow-b-and-c', {
      podSelector: podA,
      ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: 'pod', operator: 'In', values: ['b', 'c'] }] } }] }],
    })],
    tables: {
      'TCP/80': `
-   x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a  X   .   .   .   .   .   .   .   .
x/b  .   .   .   .   .   .   .   .   .
x/c  .   .   .   .   .   .   .   .   .
y/a  X   .   .   .   .   .   .   .   .
y/b  X   .   .   .   .   .   .   .   .
y/c  X   .   .   .   .   .   .   .   .
z/a  X   .   .   .   .   .   .   .   .
z/b  X   .   .   .   .   .   .   .   .
z/c  X   .   .   .   .   .   .   .   .
`,
    },
  },
  {
    name: 'namespaceSelector with matchExpressions NotIn',
    policies: [policy('x', 'allow-not-x', {
      podSelector: podA,
      ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['x'] }] } }] }],
    })],
    tables: { 'TCP/80': X_A_FROM_Y_Z },
  },
  {
    name: 'two peers are ORed: a namespaceSelector or a podSelector',
    policies: [policy('x', 'allow-not-x-or-b', {
      podSelector: podA,
      ingress: [{
        from: [
          { namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['x'] }] } },
          fromPodB,
        ],
      }],
    })],
    tables: {
      'TCP/80': `
-   x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a  X   .   .   .   .   .   .   .   .
x/b  .   .   .   .   .   .   .   .   .
x/c  X   .   .   .   .   .   .   .   .
y/a  .   .   .   .   .   .   .   .   .
y/b  .   .   .   .   .   .   .   .   .
y/c  .   .   .   .   .   .   .   .   .
z/a  .   .   .   .   .   .   .   .   .
z/b  .   .   .   .   .   .   .   .   .
z/c  .   .   .   .   .   .   .   .   .
`,
    },
  },
  {
    name: 'two selectors in one peer are ANDed: namespaceSelector and podSelector',
    policies: [policy('x', 'allow-b-not-in-x', {
      podSelector: podA,
      ingress: [{
        from: [{
          namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['x'] }] },
          podSelector: { matchLabels: { pod: 'b' } },
        }],
      }],
    })],
    tables: {
      'TCP/80': `
-   x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a  X   .   .   .   .   .   .   .   .
x/b  X   .   .   .   .   .   .   .   .
x/c  X   .   .   .   .   .   .   .   .
y/a  X   .   .   .   .   .   .   .   .
y/b  .   .   .   .   .   .   .   .   .
y/c  X   .   .   .   .   .   .   .   .
z/a  X   .   .   .   .   .   .   .   .
z/b  .   .   .   .   .   .   .   .   .
z/c  X   .   .   .   .   .   .   .   .
`,
    },
  },
  {
    name: 'namespaceSelector by a namespace label with Exists',
    policies: [policy('x', 'allow-from-teams', {
      podSelector: podA,
      ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'Exists' }] } }] }],
    })],
    tables: {
      'TCP/80': `
-   x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a  .   .   .   .   .   .   .   .   .
x/b  .   .   .   .   .   .   .   .   .
x/c  .   .   .   .   .   .   .   .   .
y/a  .   .   .   .   .   .   .   .   .
y/b  .   .   .   .   .   .   .   .   .
y/c  .   .   .   .   .   .   .   .   .
z/a  X   .   .   .   .   .   .   .   .
z/b  X   .   .   .   .   .   .   .   .
z/c  X   .   .   .   .   .   .   .   .
`,
    },
  },
  {
    name: 'namespaceSelector by a namespace label with DoesNotExist',
    policies: [policy('x', 'allow-from-teamless', {
      podSelector: podA,
      ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'DoesNotExist' }] } }] }],
    })],
    tables: {
      'TCP/80': `
-   x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a  X   .   .   .   .   .   .   .   .
x/b  X   .   .   .   .   .   .   .   .
x/c  X   .   .   .   .   .   .   .   .
y/a  X   .   .   .   .   .   .   .   .
y/b  X   .   .   .   .   .   .   .   .
y/c  X   .   .   .   .   .   .   .   .
z/a  .   .   .   .   .   .   .   .   .
z/b  .   .   .   .   .   .   .   .   .
z/c  .   .   .   .   .   .   .   .   .
`,
    },
  },
  {
    name: 'namespaceSelector matchLabels ANDed with a podSelector NotIn',
    policies: [policy('x', 'allow-blue-not-a', {
      podSelector: podA,
      ingress: [{
        from: [{
          namespaceSelector: { matchLabels: { team: 'blue' } },
          podSelector: { matchExpressions: [{ key: 'pod', operator: 'NotIn', values: ['a'] }] },
        }],
      }],
    })],
    tables: {
      'TCP/80': `
-   x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a  X   .   .   .   .   .   .   .   .
x/b  X   .   .   .   .   .   .   .   .
x/c  X   .   .   .   .   .   .   .   .
y/a  X   .   .   .   .   .   .   .   .
y/b  .   .   .   .   .   .   .   .   .
y/c  .   .   .   .   .   .   .   .   .
z/a  X   .   .   .   .   .   .   .   .
z/b  X   .   .   .   .   .   .   .   .
z/c  X   .   .   .   .   .   .   .   .
`,
    },
  },
  {
    name: 'a podSelector that matches nothing allows nothing',
    policies: [policy('x', 'allow-unlabelled', {
      podSelector: podA,
      ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: 'pod', operator: 'DoesNotExist' }] } }] }],
    })],
    tables: { 'TCP/80': X_A_ISOLATED },
  },
  {
    name: 'a policy podSelector with matchExpressions isolates each pod it selects',
    policies: [policy('y', 'a-and-b-from-red', {
      podSelector: { matchExpressions: [{ key: 'pod', operator: 'In', values: ['a', 'b'] }] },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'red' } } }] }],
    })],
    tables: {
      'TCP/80': `
-   x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a  .   .   .   .   .   .   .   .   .
x/b  .   .   .   .   .   .   .   .   .
x/c  .   .   .   .   .   .   .   .   .
y/a  .   .   .   X   X   .   .   .   .
y/b  .   .   .   X   X   .   .   .   .
y/c  .   .   .   X   X   .   .   .   .
z/a  .   .   .   X   X   .   .   .   .
z/b  .   .   .   X   X   .   .   .   .
z/c  .   .   .   X   X   .   .   .   .
`,
    },
  },
  {
    name: 'a named ingress port resolves to the destination pod port of that name',
    policies: [policy('x', 'allow-serve-80-tcp', { podSelector: podA, ingress: [{ ports: [{ port: 'serve-80-tcp' }] }] })],
    tables: { 'TCP/80': ALL_ALLOWED, 'TCP/81': X_A_ISOLATED, 'UDP/80': X_A_ISOLATED },
  },
  {
    name: 'a named UDP port matches only UDP traffic to that port',
    policies: [policy('x', 'allow-serve-81-udp', { podSelector: podA, ingress: [{ ports: [{ port: 'serve-81-udp', protocol: 'UDP' }] }] })],
    tables: { 'UDP/81': ALL_ALLOWED, 'UDP/80': X_A_ISOLATED, 'TCP/81': X_A_ISOLATED },
  },
  {
    name: 'a named port whose protocol differs from the entry (defaulted to TCP) never matches',
    policies: [policy('x', 'allow-serve-80-udp-as-tcp', { podSelector: podA, ingress: [{ ports: [{ port: 'serve-80-udp' }] }] })],
    tables: { 'TCP/80': X_A_ISOLATED, 'UDP/80': X_A_ISOLATED },
  },
  {
    name: 'a named egress port resolves against each destination pod',
    policies: [policy('x', 'egress-serve-80-tcp', { podSelector: podA, policyTypes: ['Egress'], egress: [{ ports: [{ port: 'serve-80-tcp' }] }] })],
    tables: { 'TCP/80': ALL_ALLOWED, 'TCP/81': X_A_EGRESS_ISOLATED, 'UDP/80': X_A_EGRESS_ISOLATED },
  },
  {
    name: 'an endPort range includes both ends',
    policies: [policy('x', 'allow-80-81', { podSelector: podA, ingress: [{ ports: [{ protocol: 'TCP', port: 80, endPort: 81 }] }] })],
    tables: { 'TCP/80': ALL_ALLOWED, 'TCP/81': ALL_ALLOWED, 'UDP/80': X_A_ISOLATED },
  },
  {
    name: 'an endPort range excludes ports below its start',
    policies: [policy('x', 'allow-81-90', { podSelector: podA, ingress: [{ ports: [{ port: 81, endPort: 90 }] }] })],
    tables: { 'TCP/80': X_A_ISOLATED, 'TCP/81': ALL_ALLOWED, 'SCTP/81': X_A_ISOLATED },
  },
  {
    name: 'port entries are ORed, each with its own protocol',
    policies: [policy('x', 'allow-tcp-80-udp-81', {
      podSelector: podA,
      ingress: [{ ports: [{ protocol: 'TCP', port: 80 }, { protocol: 'UDP', port: 81 }] }],
    })],
    tables: { 'TCP/80': ALL_ALLOWED, 'UDP/81': ALL_ALLOWED, 'TCP/81': X_A_ISOLATED, 'UDP/80': X_A_ISOLATED },
  },
  {
    name: 'a protocol-only port entry matches every port of that protocol',
    policies: [policy('x', 'allow-udp', { podSelector: podA, ingress: [{ ports: [{ protocol: 'UDP' }] }] })],
    tables: { 'UDP/80': ALL_ALLOWED, 'UDP/81': ALL_ALLOWED, 'TCP/80': X_A_ISOLATED, 'SCTP/81': X_A_ISOLATED },
  },
  {
    name: 'ports: [{}] means every TCP port only',
    policies: [policy('x', 'allow-tcp', { podSelector: podA, ingress: [{ ports: [{}] }] })],
    tables: { 'TCP/80': ALL_ALLOWED, 'TCP/81': ALL_ALLOWED, 'UDP/80': X_A_ISOLATED, 'SCTP/80': X_A_ISOLATED },
  },
  {
    name: 'SCTP is never treated as TCP, nor TCP as SCTP',
    policies: [policy('x', 'allow-sctp-80', { podSelector: podA, ingress: [{ ports: [{ protocol: 'SCTP', port: 80 }] }] })],
    tables: { 'SCTP/80': ALL_ALLOWED, 'TCP/80': X_A_ISOLATED, 'UDP/80': X_A_ISOLATED, 'SCTP/81': X_A_ISOLATED },
  },
  {
    name: 'a rule without ports allows every port of every protocol',
    policies: [policy('x', 'x-a-allows-x-b', { podSelector: podA, ingress: [{ from: [fromPodB] }] })],
    tables: { 'TCP/81': X_A_FROM_X_B, 'UDP/80': X_A_FROM_X_B, 'SCTP/81': X_A_FROM_X_B },
  },
  {
    name: 'egress to one namespace only',
    policies: [policy('x', 'egress-to-y', { podSelector: podA, policyTypes: ['Egress'], egress: [{ to: [nsNamed('y')] }] })],
    tables: {
      'TCP/80': `
-   x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a  X   X   X   .   .   .   X   X   X
x/b  .   .   .   .   .   .   .   .   .
x/c  .   .   .   .   .   .   .   .   .
y/a  .   .   .   .   .   .   .   .   .
y/b  .   .   .   .   .   .   .   .   .
y/c  .   .   .   .   .   .   .   .   .
z/a  .   .   .   .   .   .   .   .   .
z/b  .   .   .   .   .   .   .   .   .
z/c  .   .   .   .   .   .   .   .   .
`,
    },
  },
  {
    name: 'ingress and egress rules in one policy are enforced independently',
    policies: [policy('x', 'a-in-from-b-out-to-c', {
      podSelector: podA,
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [fromPodB] }],
      egress: [{ to: [{ podSelector: { matchLabels: { pod: 'c' } } }] }],
    })],
    tables: {
      'TCP/80': `
-   x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a  X   X   .   X   X   X   X   X   X
x/b  .   .   .   .   .   .   .   .   .
x/c  X   .   .   .   .   .   .   .   .
y/a  X   .   .   .   .   .   .   .   .
y/b  X   .   .   .   .   .   .   .   .
y/c  X   .   .   .   .   .   .   .   .
z/a  X   .   .   .   .   .   .   .   .
z/b  X   .   .   .   .   .   .   .   .
z/c  X   .   .   .   .   .   .   .   .
`,
    },
  },
  {
    name: 'egress denied at the source wins over ingress allowed at the destination',
    policies: [
      policy('x', 'a-no-egress', { podSelector: podA, policyTypes: ['Egress'] }),
      policy('y', 'only-from-x-a', { podSelector: {}, ingress: [{ from: [{ ...nsNamed('x'), podSelector: podA }] }] }),
    ],
    tables: {
      'TCP/80': `
-   x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a  X   X   X   X   X   X   X   X   X
x/b  .   .   .   X   X   X   .   .   .
x/c  .   .   .   X   X   X   .   .   .
y/a  .   .   .   X   X   X   .   .   .
y/b  .   .   .   X   X   X   .   .   .
y/c  .   .   .   X   X   X   .   .   .
z/a  .   .   .   X   X   X   .   .   .
z/b  .   .   .   X   X   X   .   .   .
z/c  .   .   .   X   X   X   .   .   .
`,
    },
  },
  {
    name: 'a connection needs both the egress of the source and the ingress of the destination',
    policies: [
      policy('x', 'egress-to-y', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [nsNamed('y')] }] }),
      policy('y', 'only-from-x-a', { podSelector: {}, ingress: [{ from: [{ ...nsNamed('x'), podSelector: podA }] }] }),
    ],
    tables: {
      'TCP/80': `
-   x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a  X   X   X   .   .   .   X   X   X
x/b  X   X   X   X   X   X   X   X   X
x/c  X   X   X   X   X   X   X   X   X
y/a  .   .   .   X   X   X   .   .   .
y/b  .   .   .   X   X   X   .   .   .
y/c  .   .   .   X   X   X   .   .   .
z/a  .   .   .   X   X   X   .   .   .
z/b  .   .   .   X   X   X   .   .   .
z/c  .   .   .   X   X   X   .   .   .
`,
    },
  },
  {
    name: 'policies are additive: two policies selecting a pod allow the union of their rules',
    policies: [
      policy('x', 'a-from-b', { podSelector: podA, ingress: [{ from: [fromPodB] }] }),
      policy('x', 'a-from-y', { podSelector: podA, ingress: [{ from: [nsNamed('y')] }] }),
    ],
    tables: {
      'TCP/80': `
-   x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a  X   .   .   .   .   .   .   .   .
x/b  .   .   .   .   .   .   .   .   .
x/c  X   .   .   .   .   .   .   .   .
y/a  .   .   .   .   .   .   .   .   .
y/b  .   .   .   .   .   .   .   .   .
y/c  .   .   .   .   .   .   .   .   .
z/a  X   .   .   .   .   .   .   .   .
z/b  X   .   .   .   .   .   .   .   .
z/c  X   .   .   .   .   .   .   .   .
`,
    },
  },
  {
    name: 'a deny-all policy plus an allow-all policy for one pod opens only that pod',
    policies: [
      policy('x', 'deny-all', { podSelector: {}, ingress: [] }),
      policy('x', 'allow-all-to-a', { podSelector: podA, ingress: [{ from: [{ podSelector: {}, namespaceSelector: {} }] }] }),
    ],
    tables: {
      'TCP/80': `
-   x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a  .   X   X   .   .   .   .   .   .
x/b  .   X   X   .   .   .   .   .   .
x/c  .   X   X   .   .   .   .   .   .
y/a  .   X   X   .   .   .   .   .   .
y/b  .   X   X   .   .   .   .   .   .
y/c  .   X   X   .   .   .   .   .   .
z/a  .   X   X   .   .   .   .   .   .
z/b  .   X   X   .   .   .   .   .   .
z/c  .   X   X   .   .   .   .   .   .
`,
    },
  },
  {
    name: 'rules for a direction missing from policyTypes are ignored',
    policies: [policy('x', 'egress-only', {
      podSelector: podA,
      policyTypes: ['Egress'],
      ingress: [{ from: [fromPodB] }],
      egress: [{}],
    })],
    tables: { 'TCP/80': ALL_ALLOWED },
  },
  {
    name: 'without policyTypes, egress rules make a policy isolate both directions',
    policies: [policy('x', 'defaulted-types', { podSelector: podA, egress: [{ to: [nsNamed('y')] }] })],
    tables: {
      'TCP/80': `
-   x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a  X   X   X   .   .   .   X   X   X
x/b  X   .   .   .   .   .   .   .   .
x/c  X   .   .   .   .   .   .   .   .
y/a  X   .   .   .   .   .   .   .   .
y/b  X   .   .   .   .   .   .   .   .
y/c  X   .   .   .   .   .   .   .   .
z/a  X   .   .   .   .   .   .   .   .
z/b  X   .   .   .   .   .   .   .   .
z/c  X   .   .   .   .   .   .   .   .
`,
    },
  },
  {
    name: 'an empty podSelector peer means every pod of the policy namespace',
    policies: [policy('x', 'allow-from-own-namespace', { podSelector: podA, ingress: [{ from: [{ podSelector: {} }] }] })],
    tables: {
      'TCP/80': `
-   x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a  .   .   .   .   .   .   .   .   .
x/b  .   .   .   .   .   .   .   .   .
x/c  .   .   .   .   .   .   .   .   .
y/a  X   .   .   .   .   .   .   .   .
y/b  X   .   .   .   .   .   .   .   .
y/c  X   .   .   .   .   .   .   .   .
z/a  X   .   .   .   .   .   .   .   .
z/b  X   .   .   .   .   .   .   .   .
z/c  X   .   .   .   .   .   .   .   .
`,
    },
  },
  {
    name: 'namespaceSelector {} with a podSelector selects those pods in every namespace',
    policies: [policy('x', 'allow-a-pods', { podSelector: podA, ingress: [{ from: [{ namespaceSelector: {}, podSelector: podA }] }] })],
    tables: {
      'TCP/80': `
-   x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a  .   .   .   .   .   .   .   .   .
x/b  X   .   .   .   .   .   .   .   .
x/c  X   .   .   .   .   .   .   .   .
y/a  .   .   .   .   .   .   .   .   .
y/b  X   .   .   .   .   .   .   .   .
y/c  X   .   .   .   .   .   .   .   .
z/a  .   .   .   .   .   .   .   .   .
z/b  X   .   .   .   .   .   .   .   .
z/c  X   .   .   .   .   .   .   .   .
`,
    },
  },
  {
    name: 'a policy selecting pods in y leaves the same labels in x alone',
    policies: [policy('y', 'deny-a', { podSelector: podA, ingress: [] })],
    tables: {
      'TCP/80': `
-   x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a  .   .   .   X   .   .   .   .   .
x/b  .   .   .   X   .   .   .   .   .
x/c  .   .   .   X   .   .   .   .   .
y/a  .   .   .   X   .   .   .   .   .
y/b  .   .   .   X   .   .   .   .   .
y/c  .   .   .   X   .   .   .   .   .
z/a  .   .   .   X   .   .   .   .   .
z/b  .   .   .   X   .   .   .   .   .
z/c  .   .   .   X   .   .   .   .   .
`,
    },
  },
  {
    name: 'ingress ipBlock with except matches pod IPs (ipBlockMatchesPodIps: true)',
    policies: [policy('x', 'allow-cidr', {
      podSelector: podA,
      ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/16', except: ['10.0.1.0/24'] } }] }],
    })],
    tables: {
      'TCP/80': `
-   x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a  .   .   .   .   .   .   .   .   .
x/b  .   .   .   .   .   .   .   .   .
x/c  .   .   .   .   .   .   .   .   .
y/a  X   .   .   .   .   .   .   .   .
y/b  X   .   .   .   .   .   .   .   .
y/c  X   .   .   .   .   .   .   .   .
z/a  .   .   .   .   .   .   .   .   .
z/b  .   .   .   .   .   .   .   .   .
z/c  .   .   .   .   .   .   .   .   .
`,
    },
  },
  {
    name: 'ingress ipBlock never matches pods when ipBlockMatchesPodIps is false',
    ipBlockMatchesPodIps: false,
    policies: [policy('x', 'allow-cidr', {
      podSelector: podA,
      ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/16', except: ['10.0.1.0/24'] } }] }],
    })],
    tables: { 'TCP/80': X_A_ISOLATED },
  },
  {
    name: 'egress ipBlock with an except for one address',
    policies: [policy('x', 'egress-to-z-but-b', {
      podSelector: podA,
      policyTypes: ['Egress'],
      egress: [{ to: [{ ipBlock: { cidr: '10.0.2.0/24', except: ['10.0.2.2/32'] } }] }],
    })],
    tables: {
      'TCP/80': `
-   x/a x/b x/c y/a y/b y/c z/a z/b z/c
x/a  X   X   X   X   X   X   .   X   .
x/b  .   .   .   .   .   .   .   .   .
x/c  .   .   .   .   .   .   .   .   .
y/a  .   .   .   .   .   .   .   .   .
y/b  .   .   .   .   .   .   .   .   .
y/c  .   .   .   .   .   .   .   .   .
z/a  .   .   .   .   .   .   .   .   .
z/b  .   .   .   .   .   .   .   .   .
z/c  .   .   .   .   .   .   .   .   .
`,
    },
  },
  {
    name: 'an address in one peer\'s except is still allowed by another peer',
    policies: [policy('x', 'overlapping-blocks', {
      podSelector: podA,
      ingress: [{
        from: [
          { ipBlock: { cidr: '10.0.1.0/24', except: ['10.0.1.2/32'] } },
          { ipBlock: { cidr: '10.0.1.2/32' } },
        ],
      }],
    })],
    tables: { 'TCP/80': X_A_FROM_Y },
  },
  {
    name: 'ports and peers of one rule must both match',
    policies: [policy('x', 'b-on-81', { podSelector: podA, ingress: [{ from: [fromPodB], ports: [{ port: 81 }] }] })],
    tables: { 'TCP/80': X_A_ISOLATED, 'TCP/81': X_A_FROM_X_B },
  },
];

describe('conformance: the upstream x/y/z truth tables', () => {
  test('has at least 30 scenarios', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(30);
  });

  describe.each(scenarios)('$name', (scenario) => {
    const evaluate = conformanceModel(scenario.policies, { selfTraffic: SelfTraffic.EVALUATE, ipBlockMatchesPodIps: scenario.ipBlockMatchesPodIps });
    const allow = conformanceModel(scenario.policies, { ipBlockMatchesPodIps: scenario.ipBlockMatchesPodIps });

    test.each(Object.entries(scenario.tables))('%s', (key, grid) => {
      const [port, protocol] = parseCase(key);
      const expected = parseGrid(grid);
      expect(expected.map(r => r[0])).toEqual(ENDPOINTS);

      // THEN the truth table and the one-by-one verdicts both give the expected table
      expect(renderGrid(tableGrid(evaluate, port, protocol))).toEqual(renderGrid(expected));
      expect(renderGrid(queryGrid(evaluate, port, protocol))).toEqual(renderGrid(expected));
      // AND with self-traffic always allowed, only the diagonal changes
      expect(renderGrid(tableGrid(allow, port, protocol))).toEqual(renderGrid(withAllowedDiagonal(expected)));
      expect(renderGrid(queryGrid(allow, port, protocol))).toEqual(renderGrid(withAllowedDiagonal(expected)));
      // AND the all-ports connectivity holds the same answer for this port, both ways
      expect(renderGrid(connectivityGrid(evaluate, port, protocol))).toEqual(renderGrid(expected));
      expect(renderGrid(connectivityGrid(allow, port, protocol))).toEqual(renderGrid(withAllowedDiagonal(expected)));
    });
  });
});
