import { Testing, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { LabelExpression, LabelSelector, Peer, Port } from '../src';
import { isReadOnlyValue } from './fixtures/read-only';

const NAME = 'kubernetes.io/metadata.name';

describe('Peer', () => {
  test.each([
    ['pods', Peer.pods({ app: 'web' }), { podSelector: { matchLabels: { app: 'web' } } }, 'pods(app=web)'],
    ['sameNamespace', Peer.sameNamespace(), { podSelector: {} }, 'pods({})'],
    ['namespace (by its name label)', Peer.namespace('monitoring'), { namespaceSelector: { matchLabels: { [NAME]: 'monitoring' } } }, `namespaces(${NAME}=monitoring)`],
    ['namespaces', Peer.namespaces({ team: 'a' }), { namespaceSelector: { matchLabels: { team: 'a' } } }, 'namespaces(team=a)'],
    ['allNamespaces', Peer.allNamespaces(), { namespaceSelector: {} }, 'namespaces({})'],
    ['podsInNamespace (AND in one peer)', Peer.podsInNamespace('ingress', { app: 'lb' }),
      { podSelector: { matchLabels: { app: 'lb' } }, namespaceSelector: { matchLabels: { [NAME]: 'ingress' } } }, `pods(app=lb) in namespaces(${NAME}=ingress)`],
    ['podsInNamespaces (AND in one peer)', Peer.podsInNamespaces({ team: 'a' }, { app: 'lb' }),
      { podSelector: { matchLabels: { app: 'lb' } }, namespaceSelector: { matchLabels: { team: 'a' } } }, 'pods(app=lb) in namespaces(team=a)'],
    ['podsInAllNamespaces', Peer.podsInAllNamespaces({ app: 'probe' }), { podSelector: { matchLabels: { app: 'probe' } }, namespaceSelector: {} }, 'pods(app=probe) in namespaces({})'],
    ['ipBlock', Peer.ipBlock('10.0.0.0/8', ['10.1.0.0/16']), { ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }, 'ipBlock(10.0.0.0/8 except 10.1.0.0/16)'],
    ['ipBlock without except', Peer.ipBlock('192.168.1.0/24'), { ipBlock: { cidr: '192.168.1.0/24' } }, 'ipBlock(192.168.1.0/24)'],
    ['anyIpv4', Peer.anyIpv4(['169.254.169.254/32']), { ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } }, 'ipBlock(0.0.0.0/0 except 169.254.169.254/32)'],
    ['anyIpv6', Peer.anyIpv6(), { ipBlock: { cidr: '::/0' } }, 'ipBlock(::/0)'],
    ['selectors with expressions', Peer.selectors({
      pods: LabelSelector.of({ expressions: [LabelExpression.exists('app')] }),
      namespaces: LabelSelector.of({ expressions: [LabelExpression.notIn('env', ['dev'])] }),
    }), {
      podSelector: { matchExpressions: [{ key: 'app', operator: 'Exists' }] },
      namespaceSelector: { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['dev'] }] },
    }, 'pods(app) in namespaces(env notin (dev))'],
  ])('%s', (_name, peer, config, text) => {
    expect(peer.toPeerConfig()).toEqual(config);
    expect(peer.toString()).toBe(text);
    expect(peer.isAnywhere).toBe(false);
  });

  test('anywhere has no peer entry: it stands for a missing from/to list', () => {
    expect(Peer.anywhere().isAnywhere).toBe(true);
    expect(Peer.anywhere().toPeerConfig()).toBeUndefined();
    expect(Peer.anywhere().toString()).toBe('anywhere');
  });

  test('peers are immutable values: the rendered config is a copy', () => {
    const except = ['10.1.0.0/16'];
    const peer = Peer.ipBlock('10.0.0.0/8', except);
    except.push('10.2.0.0/16');
    (peer.toPeerConfig() as any).ipBlock.cidr = '0.0.0.0/0';
    expect(peer.toPeerConfig()).toEqual({ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } });
  });

  describe('cdk8s-plus-28 interop', () => {
    function chart(): Chart {
      return new Chart(Testing.app(), 'test', { namespace: 'shop' });
    }

    test('a Deployment becomes its pods, in its namespace', () => {
      const c = chart();
      const web = new kplus.Deployment(c, 'web', { containers: [{ image: 'nginx', portNumber: 80 }] });
      const config = Peer.fromPodSelector(web).toPeerConfig()!;
      const podLabels = config.podSelector!.matchLabels!;
      expect(podLabels).toEqual({ 'cdk8s.io/metadata.addr': expect.any(String) });
      expect(podLabels['cdk8s.io/metadata.addr']).toBe(web.toPodSelectorConfig().labelSelector._toKube().matchLabels!['cdk8s.io/metadata.addr']);
      expect(config.namespaceSelector).toEqual({ matchLabels: { [NAME]: 'shop' } });
    });

    test('a Pods selection keeps its labels, expressions and namespace names', () => {
      const c = chart();
      const pods = kplus.Pods.select(c, 'pods', {
        labels: { app: 'api' },
        expressions: [kplus.LabelExpression.in('tier', ['a', 'b'])],
        namespaces: kplus.Namespaces.select(c, 'ns', { names: ['x', 'y'] }),
      });
      expect(Peer.fromPodSelector(pods).toPeerConfig()).toEqual({
        podSelector: { matchLabels: { app: 'api' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] },
        namespaceSelector: { matchExpressions: [{ key: NAME, operator: 'In', values: ['x', 'y'] }] },
      });
    });

    test('a Pods selection without namespaces means the policy\'s own namespace', () => {
      const pods = kplus.Pods.select(chart(), 'pods', { labels: { app: 'api' } });
      expect(Peer.fromPodSelector(pods).toPeerConfig()).toEqual({ podSelector: { matchLabels: { app: 'api' } } });
      expect(LabelSelector.fromPodSelector(pods).toSelectorConfig()).toEqual({ matchLabels: { app: 'api' } });
    });
  });
});

describe('values made from equal inputs are one shared value, and every input is still checked', () => {
  test('equal labels, blocks and ports give the same frozen value; different ones never do', () => {
    expect(LabelSelector.labels({ app: 'web', tier: 'a' })).toBe(LabelSelector.labels({ tier: 'a', app: 'web' }));
    expect(Peer.pods({ app: 'web' })).toBe(Peer.pods({ app: 'web' }));
    expect(Peer.pods({ app: 'web' })).toBe(Peer.podsMatching(LabelSelector.labels({ app: 'web' })));
    expect(Peer.namespace('shop')).toBe(Peer.namespace('shop'));
    expect(Peer.anyIpv4(['169.254.169.254/32'])).toBe(Peer.anyIpv4(['169.254.169.254/32']));
    expect(Port.tcp(8080)).toBe(Port.tcp(8080));
    expect(Port.allTraffic()).toBe(Port.allTraffic());
    // keys that a naive join would confuse
    expect(LabelSelector.labels({ a: 'b', c: 'd' }).toSelectorConfig()).toEqual({ matchLabels: { a: 'b', c: 'd' } });
    expect(LabelSelector.labels({ a: 'b1:cd' }).toSelectorConfig()).toEqual({ matchLabels: { a: 'b1:cd' } });
    expect(LabelSelector.labels({ a: 'b1:cd' })).not.toBe(LabelSelector.labels({ a: 'b', c: 'd' }));
    expect(Peer.pods({ app: 'web' })).not.toBe(Peer.namespaces({ app: 'web' }));
    expect(Peer.anyIpv4()).not.toBe(Peer.anyIpv4([]));
    expect(Peer.ipBlock('10.0.0.0/8', ['10.1.0.0/16'])).not.toBe(Peer.ipBlock('10.0.0.0/8', ['10.2.0.0/16']));
    expect(Port.tcp(53)).not.toBe(Port.udp(53));
    for (const v of [LabelSelector.labels({ app: 'web' }), Peer.pods({ app: 'web' }), Peer.anyIpv6(), Port.tcp(1)]) expect(isReadOnlyValue(v)).toBe(true);
  });

  test('a bad input fails every time, also after an equal-looking valid one was shared', () => {
    expect(Peer.pods({ app: 'web' })).toBeDefined();
    for (let i = 0; i < 2; i++) {
      expect(() => Peer.pods({ app: 1 } as any)).toThrow(/^\[Peer\.pods\] labels\["app"\]: 1: a label value must be a string/);
      expect(() => LabelSelector.labels({})).toThrow(/an empty label map would select everything/);
      expect(() => Port.tcp('8080' as any)).toThrow(/^\[Port\.tcp\] port: "8080"/);
      expect(() => Peer.anyIpv4(['169.254.169.254/32', 7 as any])).toThrow(/^\[Peer\.anyIpv4\] except\[1\]: 7/);
    }
  });
});
