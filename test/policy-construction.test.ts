import { Chart, Testing } from 'cdk8s';
import { LabelSelector, Peer, Policy, Port } from '../src';

/**
 * While cdk8s's `ApiObject` constructor runs, a policy has no state of its own yet: its identity
 * fields (apiVersion, kind, name, metadata, props) are written to the state being built. User code
 * can run in the middle of it (cdk8s reads the chart's labels), and may construct another policy.
 */
describe('Policy construction', () => {
  /** A chart whose labels getter constructs a policy `Inner` while the policy `Outer` is being constructed. */
  class NestingChart extends Chart {
    public inner?: Policy;
    private nesting = false;

    public get labels(): { [key: string]: string } {
      if (!this.nesting && this.node.tryFindChild('Outer') !== undefined && this.inner === undefined) {
        this.nesting = true;
        this.inner = new Policy(this, 'Inner', {
          podSelector: LabelSelector.labels({ app: 'db' }),
          ingress: [{ from: [Peer.pods({ app: 'api' })], ports: [Port.tcp(5432)] }],
        });
      }
      return super.labels;
    }
  }

  test('a policy constructed while another is being constructed keeps its own identity, and so does the other', () => {
    // GIVEN
    const app = Testing.app();
    const chart = new NestingChart(app, 'test', { namespace: 'shop' });
    // WHEN
    const outer = new Policy(chart, 'Outer', {
      podSelector: LabelSelector.labels({ app: 'web' }),
      egress: [{ to: [Peer.pods({ app: 'api' })], ports: [Port.tcp(8080)] }],
    });
    // THEN
    const inner = chart.inner!;
    expect(inner).toBeInstanceOf(Policy);
    expect([outer.name, outer.kind, outer.apiVersion, outer.metadata.name]).toEqual(['outer', 'NetworkPolicy', 'networking.k8s.io/v1', 'outer']);
    expect([inner.name, inner.kind, inner.apiVersion, inner.metadata.name]).toEqual(['inner', 'NetworkPolicy', 'networking.k8s.io/v1', 'inner']);
    expect(() => { (outer as any).name = 'other'; }).toThrow(TypeError);
    expect(() => { (inner as any).props = {}; }).toThrow(TypeError);
    const rendered = Testing.synth(chart);
    expect(rendered.map(o => [o.metadata.name, o.spec.podSelector, o.spec.policyTypes])).toEqual(expect.arrayContaining([
      ['outer', { matchLabels: { app: 'web' } }, ['Egress']],
      ['inner', { matchLabels: { app: 'db' } }, ['Ingress']],
    ]));
    expect(rendered).toHaveLength(2);
  });

  test('identity fields assigned through Policy.prototype on an object that is not a policy stay on that object', () => {
    // GIVEN: not a policy, but it inherits the identity accessors
    const fake = Object.create(Policy.prototype) as Policy;
    // WHEN
    Reflect.set(fake, 'name', 'fake');
    const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
    const policy = new Policy(chart, 'Real', { ingress: [{ from: [Peer.pods({ app: 'api' })], ports: [Port.tcp(80)] }] });
    // THEN
    expect(fake.name).toBe('fake');
    expect(policy.name).toBe('real');
    expect(Testing.synth(chart)[0].metadata.name).toBe('real');
  });
});
