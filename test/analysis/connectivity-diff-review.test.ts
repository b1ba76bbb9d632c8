import { ClusterModel, Connectivity, ConnectivityDiff, PortSet, Protocol } from '../../src';
import { DIFF_MARKDOWN_MAX_CHARS } from '../../src/constants';

const pod = (name: string, labels: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'shop', labels } });
const policy = (name: string, spec: any) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: 'shop' }, spec });
const tcp = (...ports: number[]) => ports.reduce((s, p) => s.union(PortSet.range(Protocol.TCP, p)), PortSet.NONE);

describe('ConnectivityDiff: the summary speaks the gate\'s words', () => {
  const flows = (allowed: PortSet) => new Connectivity(['a/x', 'a/y'], [{ from: 'a/x', to: 'a/y', allowed }]);

  test('a flow that only gains ports is widened and opened', () => {
    const diff = ConnectivityDiff.between(flows(tcp(80)), flows(tcp(80, 443)));
    expect(diff.summary()).toBe('1 flow opened (1 widened), 0 closed');
    expect([diff.openedCount, diff.widenedCount, diff.closedCount, diff.narrowedCount, diff.changedCount]).toEqual([1, 1, 0, 0, 1]);
    expect(diff.opensConnections).toBe(true);
    expect(diff.closesConnections).toBe(false);
    expect(diff.toText()).toContain('~ a/x => a/y : TCP 80 -> TCP 80,443 (widened)');
  });

  test('a flow that only loses ports is narrowed and closed', () => {
    const diff = ConnectivityDiff.between(flows(tcp(80, 443)), flows(tcp(80)));
    expect(diff.summary()).toBe('0 flows opened, 1 closed (1 narrowed)');
    expect(diff.opensConnections).toBe(false);
    expect(diff.closesConnections).toBe(true);
  });

  test('a flow that swaps ports counts in both', () => {
    const diff = ConnectivityDiff.between(flows(tcp(80)), flows(tcp(443)));
    expect(diff.summary()).toBe('1 flow opened (1 widened), 1 closed (1 narrowed)');
    expect(diff.toText()).toContain('(widened and narrowed)');
    expect(diff.toJson().summary).toMatchObject({ opened: 1, widened: 1, closed: 1, narrowed: 1 });
  });
});

describe('ConnectivityDiff: short and attributed', () => {
  // The before version's ipBlocks cut the IPv4 space into many ranges: an "egress to everything"
  // change used to print one row per range.
  const cuts = Array.from({ length: 40 }, (_, i) => ({ ipBlock: { cidr: `192.0.${i}.0/24` } }));
  const base: any[] = [
    pod('web', { app: 'web' }),
    pod('api', { app: 'api' }),
    policy('web-egress', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 8080 }] }] }),
    policy('api-egress', { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Egress'], egress: [{ to: cuts, ports: [{ port: 443 }] }] }),
  ];
  const opened = [...base, policy('web-out', {
    podSelector: { matchLabels: { app: 'web' } },
    policyTypes: ['Egress'],
    egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '169.254.169.254/32'] } }], ports: [{ port: 443 }] }],
  })];

  test('an egress opened to everything is one row per rule, its ranges merged into the fewest CIDRs', () => {
    const diff = ConnectivityDiff.betweenModels(ClusterModel.fromObjects(base), ClusterModel.fromObjects(opened));
    expect(diff.changes.length).toBeGreaterThan(40); // exact, per range, in the API and JSON
    expect(diff.toText()).toBe([
      `${diff.changes.length} flows opened (${diff.changes.length} added), 0 closed`,
      '+ shop/web => 0.0.0.0/0 except 10.0.0.0/8, 169.254.169.254/32 : TCP 443',
      '    allowed by: shop/web-out egress rule 0',
      '',
    ].join('\n'));
    const md = diff.toMarkdown();
    expect(md.split('\n').filter(l => l.startsWith('| added'))).toEqual([
      '| added | shop/web | 0.0.0.0/0 except 10.0.0.0/8, 169.254.169.254/32 |  | TCP 443 | allowed by: shop/web-out egress rule 0 |',
    ]);
  });

  test('removing the rule names the rule that allowed the flow before', () => {
    const diff = ConnectivityDiff.betweenModels(ClusterModel.fromObjects(opened), ClusterModel.fromObjects(base));
    expect(diff.toText().split('\n').slice(1, 3)).toEqual([
      '- shop/web => 0.0.0.0/0 except 10.0.0.0/8, 169.254.169.254/32 : TCP 443',
      '    was allowed by: shop/web-out egress rule 0',
    ]);
    expect(diff.changes.every(c => c.allowedBefore?.egress.includes('shop/web-out egress rule 0'))).toBe(true);
  });

  test('a widened flow names the rules of both versions', () => {
    const wider = base.map(o => (o.metadata.name === 'web-egress'
      ? policy('web-egress', { ...o.spec, egress: [{ ...o.spec.egress[0], ports: [{ port: 8080 }, { port: 9090 }] }] }) : o));
    const diff = ConnectivityDiff.betweenModels(ClusterModel.fromObjects(base), ClusterModel.fromObjects(wider));
    expect(diff.toText()).toBe([
      '1 flow opened (1 widened), 0 closed',
      '~ shop/web => shop/api : TCP 8080 -> TCP 8080,9090 (widened)',
      '    allowed before by: shop/web-egress egress rule 0; ingress to shop/api: not isolated',
      '    allowed after by: shop/web-egress egress rule 0; ingress to shop/api: not isolated',
      '',
    ].join('\n'));
  });
});

describe('ConnectivityDiff.toMarkdown: a pull-request comment', () => {
  const names = Array.from({ length: 3000 }, (_, i) => `ns/pod-with-a-long-name-${String(i).padStart(4, '0')}`);
  const after = new Connectivity(['ns/target', ...names], [
    ...names.map(from => ({ from, to: 'ns/target', allowed: tcp(80) })),
  ]);
  const before = new Connectivity(['ns/target', ...names], names.slice(0, 10).map(from => ({ from, to: 'ns/target', allowed: tcp(80, 443) })));

  test('shows the opening rows first, folds the rest with counts, and stays under the documented size', () => {
    const diff = ConnectivityDiff.between(before, after);
    const md = diff.toMarkdown();
    expect(md.length).toBeLessThanOrEqual(DIFF_MARKDOWN_MAX_CHARS);
    expect(DIFF_MARKDOWN_MAX_CHARS).toBeLessThan(65536);
    const lines = md.split('\n');
    expect(lines[0]).toBe('### Connectivity change');
    expect(lines[2]).toBe('**2990 flows opened (2990 added), 10 closed (10 narrowed)**');
    // the first table row opens something; the narrowed rows come last
    expect(lines[6]).toMatch(/^\| added \| ns\/pod-with-a-long-name-0010 \| ns\/target \|/);
    expect(md).toContain('<details><summary>2975 more rows (2965 opening, 10 closing)</summary>');
    expect(md).toContain('</details>');
    expect(lines.filter(l => l.startsWith('| added') || l.startsWith('| narrowed')).length).toBeLessThan(3000);
    expect(md).toMatch(/_\d+ more rows not shown: this comment is kept under 60000 characters; run `netpol diff` \(or `--format json`\) for every change\._/);
  });

  test('a small diff has no fold and no footer', () => {
    const diff = ConnectivityDiff.between(before, before.filter({ from: 'ns/pod-with-a-long-name-0000' }));
    expect(diff.toMarkdown()).not.toContain('<details>');
    expect(diff.toMarkdown()).not.toContain('not shown');
  });

  test('names in cells are escaped by the one cell function', () => {
    const odd = new Connectivity(['a|b/x', 'a/y'], [{ from: 'a|b/x', to: 'a/y', allowed: tcp(80) }]);
    const md = ConnectivityDiff.between(new Connectivity(['a|b/x', 'a/y'], []), odd).toMarkdown();
    // a name that is not plain text becomes a code span, its | escaped so the table holds
    expect(md).toContain('| added | `a\\|b/x` | a/y |');
  });
});
