import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { deployment, findingsOf, lint, namespace, pod, policy } from './lint-helpers';
import { ShopChart } from '../../examples/charts/shop';
import { ClusterProfile } from '../../src';
import { Linter, NetpolLintPlugin } from '../../src/lint';
import { docPages, section } from '../fixtures/docs';

const denyEgress = policy('shop', 'deny-egress', { podSelector: {}, policyTypes: ['Egress'] });

/** An egress rule to `to` on the ports (`UDP/53` style). */
function egress(name: string, to: any[], ports: string[]): any {
  return policy('shop', name, {
    podSelector: {},
    policyTypes: ['Egress'],
    egress: [{ to, ports: ports.map(p => ({ protocol: p.split('/')[0], port: Number(p.split('/')[1]) })) }],
  });
}

const OPENSHIFT_DNS = [{
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'openshift-dns' } },
  podSelector: { matchLabels: { 'dns.operator.openshift.io/daemonset-dns': 'default' } },
}];

describe('lint reads the cluster profile', () => {
  test('NP003 on OpenShift wants the dns-default pods on 5353, and says what is missing', () => {
    const web = deployment('shop', 'web', { app: 'web' });
    const on53 = egress('dns', OPENSHIFT_DNS, ['UDP/53', 'TCP/53']);
    expect(findingsOf(lint([web, denyEgress, on53], { profile: ClusterProfile.OPENSHIFT }), 'NP003').map(f => f.message)).toEqual([
      'Deployment shop/web is isolated for egress (by shop/deny-egress and shop/dns) but cannot reach cluster DNS '
      + '(openshift-dns pods labelled dns.operator.openshift.io/daemonset-dns=default, assumed: the input has none) on UDP/5353 or TCP/5353',
    ]);
    const on5353 = egress('dns', OPENSHIFT_DNS, ['UDP/5353', 'TCP/5353']);
    expect(findingsOf(lint([web, denyEgress, on5353], { profile: ClusterProfile.OPENSHIFT }), 'NP003')).toEqual([]);
    // the same policy is wrong for GENERIC
    expect(findingsOf(lint([web, denyEgress, on5353]), 'NP003')).toHaveLength(1);
  });

  test('NP003 on GKE with Cloud DNS wants 169.254.169.254 on 53, and NP004 accepts exactly that', () => {
    const web = deployment('shop', 'web', { app: 'web' });
    const cloudDns = egress('dns', [{ ipBlock: { cidr: '169.254.169.254/32' } }], ['UDP/53', 'TCP/53']);
    const report = lint([web, denyEgress, cloudDns], { profile: ClusterProfile.GKE_CLOUD_DNS });
    expect(findingsOf(report, 'NP003')).toEqual([]);
    expect(findingsOf(report, 'NP004')).toEqual([]);
    const udpOnly = egress('dns', [{ ipBlock: { cidr: '169.254.169.254/32' } }], ['UDP/53']);
    expect(findingsOf(lint([web, denyEgress, udpOnly], { profile: ClusterProfile.GKE_CLOUD_DNS }), 'NP003').map(f => f.message)).toEqual([
      'Deployment shop/web is isolated for egress (by shop/deny-egress and shop/dns) but cannot reach cluster DNS (169.254.169.254) on TCP/53 (UDP/53 is allowed)',
    ]);
    const http = egress('http', [{ ipBlock: { cidr: '169.254.169.254/32' } }], ['TCP/80']);
    expect(findingsOf(lint([web, denyEgress, cloudDns, http], { profile: ClusterProfile.GKE_CLOUD_DNS }), 'NP004').map(f => f.name)).toEqual(['http']);
  });

  test('NP003 with NodeLocal DNSCache wants both the kube-dns pods and 169.254.20.10', () => {
    const web = deployment('shop', 'web', { app: 'web' });
    const podsOnly = egress('dns', [{
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
    }], ['UDP/53', 'TCP/53']);
    expect(findingsOf(lint([web, denyEgress, podsOnly], { profile: ClusterProfile.GKE_NODELOCAL_DNS }), 'NP003').map(f => f.message)).toEqual([
      'Deployment shop/web is isolated for egress (by shop/deny-egress and shop/dns) but cannot reach cluster DNS (169.254.20.10) on UDP/53 or TCP/53',
    ]);
  });

  test('NP004 guards the profile\'s endpoints: AKS\'s WireServer too', () => {
    const web = deployment('shop', 'web', { app: 'web' });
    const wide = egress('wide', [{ ipBlock: { cidr: '168.0.0.0/8' } }], ['TCP/80']);
    expect(findingsOf(lint([web, denyEgress, wide]), 'NP004')).toEqual([]);
    expect(findingsOf(lint([web, denyEgress, wide], { profile: ClusterProfile.AKS }), 'NP004').map(f => f.message)).toEqual([
      'ipBlock 168.0.0.0/8 lets Deployment shop/web reach the cloud metadata endpoint 168.63.129.16 (TCP/80)',
    ]);
  });

  test('NP001 and NP002 leave the platform\'s namespaces alone, once its DNS pod is in the input', () => {
    const objects = [pod('kube-system', 'coredns', { 'k8s-app': 'kube-dns' }), pod('openshift-dns', 'dns', { a: 'b' })];
    const generic = lint(objects);
    expect(findingsOf(generic, 'NP001').map(f => f.namespace)).toEqual(['openshift-dns']);
    const openshift = lint(objects, { profile: ClusterProfile.OPENSHIFT });
    expect(findingsOf(openshift, 'NP001')).toEqual([]);
    expect(findingsOf(openshift, 'NP002')).toEqual([]);
  });

  test('the shop synthesized for each built-in lints clean of NP003 and NP004 with that profile', () => {
    for (const profile of ClusterProfile.builtIns()) {
      const app = Testing.app();
      ClusterProfile.use(app, profile);
      const report = Linter.lintObjects(new ShopChart(app, 'shop').toJson(), { profile });
      expect([profile.name, findingsOf(report, 'NP003'), findingsOf(report, 'NP004')]).toEqual([profile.name, [], []]);
    }
  });

  test('netpol.config.json names a built-in or describes a custom profile; mistakes name the file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-profile-'));
    try {
      const web = deployment('shop', 'web', { app: 'web' });
      const on5353 = egress('dns', OPENSHIFT_DNS, ['UDP/5353', 'TCP/5353']);
      const write = (name: string, content: unknown) => {
        const file = path.join(dir, name);
        fs.writeFileSync(file, JSON.stringify(content));
        return file;
      };
      const builtIn = write('builtin.json', { options: { profile: 'openshift' } });
      expect(findingsOf(Linter.lintObjects([namespace('shop'), web, denyEgress, on5353], { configFile: builtIn }), 'NP003')).toEqual([]);
      const custom = write('custom.json', { options: { profile: { name: 'onprem', base: 'openshift', dnsPorts: [{ protocol: 'UDP', port: 5353 }] } } });
      expect(findingsOf(Linter.lintObjects([web, denyEgress, on5353], { configFile: custom }), 'NP003')).toEqual([]);
      // the explicit option wins over the file's
      expect(findingsOf(Linter.lintObjects([web, denyEgress, on5353], { configFile: builtIn, profile: ClusterProfile.GENERIC }), 'NP003')).toHaveLength(1);
      const typo = write('typo.json', { options: { profile: 'openshfit' } });
      expect(() => Linter.lintObjects([web], { configFile: typo })).toThrow(/typo\.json.*options\.profile.*did you mean "openshift"/);
      const bad = write('bad.json', { options: { profile: { name: 'x', dnsPort: [] } } });
      expect(() => Linter.lintObjects([web], { configFile: bad })).toThrow(/unknown prop "dnsPort"; did you mean `dnsPorts`/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the documentation\'s netpol.config.json profile is one the linter accepts', () => {
    const json = JSON.parse(/```json\n([\s\S]*?)```/.exec(section(docPages(), 'Cluster profiles'))![1]);
    const profile = ClusterProfile._fromJson('docs', 'options.profile', json.options.profile);
    expect([profile.name, profile.dnsPorts.map(String), profile.systemNamespaces]).toEqual(['acme-onprem', ['UDP/5353', 'TCP/5353'], ClusterProfile.KIND.systemNamespaces]);
  });

  test('the cdk8s validation plugin takes the profile from cdk8s.yaml, by name or as a mapping', () => {
    expect(() => new NetpolLintPlugin({ profile: 'openshift' as any })).not.toThrow();
    expect(() => new NetpolLintPlugin({ profile: { name: 'lab', base: 'kind' } as any })).not.toThrow();
    expect(() => new NetpolLintPlugin({ profile: 'openshfit' as any })).toThrow(/property profile in cdk8s\.yaml.*did you mean "openshift"/);
  });

  test('a profile option that is not a ClusterProfile is an input error', () => {
    expect(() => lint([], { profile: 'gke' as any })).toThrow(/profile.*must be a ClusterProfile/);
    expect(Linter.isInputError((() => { try { lint([], { profile: {} as any }); } catch (e) { return e; } return undefined; })())).toBe(true);
  });
});
