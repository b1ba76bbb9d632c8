import { spawnSync } from 'child_process';
import { App, Chart, Testing } from 'cdk8s';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Pod } from 'kubernetes-models/v1/Pod';
import { parse } from 'yaml';
import { ClusterModel } from '../../src/analysis';
import { Protocol } from '../../src/port';
import { ProbeClient, ProbeJobs, ProbeKind, ProbeManifests, ProbePlan } from '../../src/probe';

const { DEFAULT_AGNHOST_IMAGE, PROBE_ID_LABEL, PROBE_LABEL, PROBE_RUN_LABEL } = ProbeManifests;
import { netpol } from '../cli/run-netpol';
import { yamlOf } from '../util';

/** A web Deployment behind a ClusterIP Service (port 80 -> named target port http = 8080), an api without Service, a DNS-like UDP server. */
const OBJECTS: any[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web', tier: 'front' } }, spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ name: 'http', containerPort: 8080 }] }] } } },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: 'shop' },
    spec: { selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: 'api', ports: [{ containerPort: 9000 }, { name: 'dns', containerPort: 5353, protocol: 'UDP' }] }] } } },
  },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } },
  { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'shop' }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } },
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'api-to-web', namespace: 'shop' },
    spec: { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 8080 }] }] },
  },
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'web-from-api', namespace: 'shop' },
    spec: { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 'http' }] }] },
  },
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'web-to-api', namespace: 'shop' },
    spec: { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'api' } } }] }] },
  },
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'api-from-web', namespace: 'shop' },
    spec: { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }] },
  },
];

const plan = ProbePlan.fromObjects(OBJECTS);
const ADDRESSES = { 'shop/api': '10.0.0.9', 'shop/web': '10.0.0.8' };
const manifests = ProbeManifests.render(plan, { addresses: ADDRESSES });
const jobs = manifests.objects.filter(o => o.kind === 'Job');

function probeOf(job: any) {
  return plan.probes.find(p => p.id === job.metadata.labels[PROBE_ID_LABEL])!;
}

describe('ProbeManifests', () => {
  test('renders one Job per probe, in the probe\'s source namespace, and the probe Namespace', () => {
    expect(manifests.unaddressed).toEqual([]);
    expect(jobs.map(j => j.metadata.labels[PROBE_ID_LABEL])).toEqual(plan.probes.map(p => p.id));
    for (const job of jobs) expect(job.metadata.namespace).toBe(probeOf(job).sourceNamespace);
    expect(manifests.objects[0]).toEqual({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'netpol-probe', labels: { ...plan.probeNamespaceLabels, [PROBE_RUN_LABEL]: manifests.runId } } });
  });

  test('every object matches the Kubernetes schema, and each Job\'s pod template is a valid Pod', () => {
    for (const obj of manifests.objects) {
      if (obj.kind === 'Namespace') new Namespace(obj).validate();
      else new Job(obj).validate();
    }
    for (const job of jobs) expect(() => new Pod({ metadata: { name: 'x', ...job.spec.template.metadata }, spec: job.spec.template.spec }).validate()).not.toThrow();
  });

  test('the probe pods never become Ready: a readiness probe that always fails, and nothing else that could pass', () => {
    expect(spawnSync('/bin/false').status).not.toBe(0);
    for (const job of jobs) {
      const [container] = job.spec.template.spec.containers;
      expect(job.spec.template.spec.containers).toHaveLength(1);
      expect(container.readinessProbe).toEqual({ exec: { command: ['/bin/false'] }, periodSeconds: 1, failureThreshold: 1 });
      expect(job.spec.template.spec.readinessGates).toBeUndefined();
    }
  });

  test('a probe pod carries exactly its source workload\'s pod template labels, plus the probe labels', () => {
    const model = ClusterModel.fromObjects(OBJECTS);
    for (const job of jobs) {
      const probe = probeOf(job);
      const own = { ...job.spec.template.metadata.labels };
      expect(own).toMatchObject({ [PROBE_LABEL]: 'true', [PROBE_ID_LABEL]: probe.id, [PROBE_RUN_LABEL]: manifests.runId });
      delete own[PROBE_LABEL]; delete own[PROBE_ID_LABEL]; delete own[PROBE_RUN_LABEL];
      const synthetic = probe.kind === ProbeKind.OTHER_NAMESPACE || probe.kind === ProbeKind.UNLABELLED_POD;
      if (synthetic) {
        expect(own).toEqual({});
      } else if (probe.kind === ProbeKind.REPRESENTATIVE_SOURCE) {
        // a pod the input does not contain: exactly the labels its representative requires
        expect(own).toEqual(probe.sourceLabels);
        expect(own).toEqual(model.findEndpoint(probe.from)!.labels);
      } else {
        const source = OBJECTS.find(o => `${o.metadata.namespace}/${o.metadata.name}` === probe.from);
        expect(own).toEqual(source.spec.template.metadata.labels);
        expect(own).toEqual(model.findEndpoint(probe.from)!.labels);
      }
    }
  });

  test('a destination behind a ClusterIP Service is reached on the Service port; the policies see the target port', () => {
    const probe = plan.probes.find(p => p.kind === ProbeKind.ALLOWED_FLOW && p.to === 'shop/web')!;
    expect(probe).toMatchObject({ port: 8080, portName: 'http', service: { name: 'web', namespace: 'shop', port: 80, headless: false } });
    const job = jobs.find(j => j.metadata.labels[PROBE_ID_LABEL] === probe.id);
    expect(job.spec.template.spec.containers[0].command).toEqual(['/agnhost', 'connect', 'web.shop.svc:80', '--timeout=5s', '--protocol=tcp']);
    const withIp = ProbeManifests.render(plan, { addresses: ADDRESSES, serviceAddresses: { 'shop/web': '10.96.0.10' } });
    const again = withIp.objects.find(j => j.metadata.labels?.[PROBE_ID_LABEL] === probe.id);
    expect(again.spec.template.spec.containers[0].command[2]).toBe('10.96.0.10:80');
  });

  test('a destination without a Service is reached on its pod IP and the container port, in its protocol', () => {
    const udp = plan.probes.find(p => p.kind === ProbeKind.ALLOWED_FLOW && p.to === 'shop/api' && p.protocol === Protocol.UDP)!;
    const job = jobs.find(j => j.metadata.labels[PROBE_ID_LABEL] === udp.id);
    expect(job.spec.template.spec.containers[0].command).toEqual(['/agnhost', 'connect', '10.0.0.9:5353', '--timeout=5s', '--protocol=udp']);
    const v6 = ProbeManifests.render(plan, { addresses: { 'shop/api': 'fd00::9' } }).objects.find(j => j.metadata.labels?.[PROBE_ID_LABEL] === udp.id);
    expect(v6.spec.template.spec.containers[0].command[2]).toBe('[fd00::9]:5353');
  });

  test('probes whose destination has neither a Service nor an address are left out and listed', () => {
    const bare = ProbeManifests.render(plan);
    const needIp = plan.probes.filter(p => p.destinationNamespace !== undefined && p.service === undefined).map(p => p.id);
    // to the api (no Service), and to a web port the Service does not carry (the unopened-port probe)
    expect(plan.probes.filter(p => needIp.includes(p.id)).map(p => p.to)).toEqual(expect.arrayContaining(['shop/api', 'shop/web']));
    expect(bare.unaddressed).toEqual(needIp);
    expect(bare.objects.some(o => needIp.includes(o.metadata.labels?.[PROBE_ID_LABEL]))).toBe(false);
  });

  test('the pods pass the restricted Pod Security Standard and are cleaned up by the Job controller', () => {
    for (const job of jobs) {
      const spec = job.spec.template.spec;
      expect(job.spec).toMatchObject({ backoffLimit: 0, ttlSecondsAfterFinished: 600 });
      expect(spec).toMatchObject({ restartPolicy: 'Never', automountServiceAccountToken: false, securityContext: { runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: 'RuntimeDefault' } } });
      expect(spec.containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
      expect(spec.containers[0].image).toBe(DEFAULT_AGNHOST_IMAGE);
      expect(spec.containers[0].terminationMessagePolicy).toBe('FallbackToLogsOnError');
    }
  });

  test('no NetworkPolicy is emitted, and `netpol validate` accepts the manifests', async () => {
    expect(manifests.objects.every(o => o.kind === 'Job' || o.kind === 'Namespace')).toBe(true);
    const out = await netpol(['validate', '-'], yamlOf(manifests.objects));
    expect(out.code).toBe(0);
  });

  test('the BusyBox client connects with nc, and the same plan always renders the same objects', () => {
    const tcpOnly = ProbePlan.fromObjects(OBJECTS.map(o => (o.metadata.name === 'api' && o.kind === 'Deployment')
      ? { ...o, spec: { ...o.spec, template: { ...o.spec.template, spec: { containers: [{ name: 'api', image: 'api', ports: [{ containerPort: 9000 }] }] } } } } : o));
    const busy = ProbeManifests.render(tcpOnly, { client: ProbeClient.BUSYBOX, addresses: ADDRESSES, timeoutSeconds: 3 });
    const job = busy.objects.find(o => o.kind === 'Job' && o.spec.template.spec.containers[0].command.includes('10.0.0.9'));
    expect(job.spec.template.spec.containers[0]).toMatchObject({ image: 'busybox:1.36', command: ['nc', '-vv', '-z', '-w', '3', '10.0.0.9', '9000'] });
    expect(ProbeManifests.render(tcpOnly, { client: ProbeClient.BUSYBOX, addresses: ADDRESSES, timeoutSeconds: 3 }).objects).toEqual(busy.objects);
  });

  test.each([
    [{ client: ProbeClient.BUSYBOX, addresses: ADDRESSES }, /BusyBox client probes TCP only: use the agnhost client/],
    [{ client: 'curl' as any }, /client: Unsupported value: "curl"/],
    [{ image: 'my image' }, /image: Invalid value: "my image"/],
    [{ timeoutSeconds: 0 }, /timeoutSeconds: Invalid value: 0: must be a whole number between 1 and 300/],
    [{ runId: 'Run_1' }, /runId: Invalid value: "Run_1"/],
    [{ addresses: { 'shop/api': '10.0.0' } }, /addresses\["shop\/api"\]: Invalid value: "10.0.0"/],
    [{ ttlSecondsAfterFinished: -1 }, /ttlSecondsAfterFinished: Invalid value: -1/],
    [{ image: '--privileged' }, /image: Invalid value: "--privileged": must be a container image reference/],
    [{ image: 'Busybox:1.36' }, /image: Invalid value: "Busybox:1.36"/],
    [{ image: 'busybox:1.36\n' }, /image: Invalid value: "busybox:1.36\\n"/],
    [{ activeDeadlineSeconds: 5 }, /activeDeadlineSeconds: Invalid value: 5: must be a whole number between 6 and 2147483647/],
    [{ timeoutSeconds: 30, activeDeadlineSeconds: 30 }, /activeDeadlineSeconds: Invalid value: 30: must be a whole number between 31/],
    [{ addresses: { 'shop api': '10.0.0.1' } }, /addresses: Invalid key: "shop api": must be <namespace>\/<name>/],
    [{ addresses: { 'Shop/api': '10.0.0.1' } }, /addresses: Invalid key: "Shop\/api": namespace a lowercase RFC 1123 label/],
    [{ addresses: { 'shop/x/api': '10.0.0.1' } }, /addresses: Invalid key: "shop\/x\/api": must be <namespace>\/<name> \(or <namespace>\/<kind>\/<name>\)/],
    [{ addresses: JSON.parse('{"__proto__": "10.0.0.1"}') }, /addresses: Invalid key: "__proto__"/],
    [{ addresses: [] }, /addresses: Invalid value: \[\]: must map names to IP addresses/],
    [{ serviceAddresses: { 'shop/1web': '10.0.0.1' } }, /serviceAddresses: Invalid key: "shop\/1web": name a DNS-1035 label/],
  ])('throws if the options are %j', (options, message) => {
    expect(() => ProbeManifests.render(plan, options as any)).toThrow(message);
  });

  test('the Jobs stop after activeDeadlineSeconds: by default the connection timeout plus 120 s', () => {
    const deadlines = (o: any) => new Set(ProbeManifests.render(plan, { addresses: ADDRESSES, ...o }).objects.filter(x => x.kind === 'Job').map(x => x.spec.activeDeadlineSeconds));
    expect(deadlines({})).toEqual(new Set([125]));
    expect(deadlines({ timeoutSeconds: 10 })).toEqual(new Set([130]));
    expect(deadlines({ activeDeadlineSeconds: 210 })).toEqual(new Set([210]));
  });

  test('an endpoint named with its kind is a valid address key', () => {
    expect(() => ProbeManifests.render(plan, { addresses: { 'shop/deployment/api': '10.0.0.9' } })).not.toThrow();
  });
});

describe('ProbeJobs', () => {
  test('puts the probe objects in a chart of their own', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'probes');
    const construct = new ProbeJobs(chart, 'Probes', { plan, addresses: ADDRESSES });
    const synthesized = Testing.synth(chart);
    expect(synthesized).toEqual(construct.manifests.objects.map(o => parse(JSON.stringify(o))));
    expect(synthesized.filter(o => o.kind === 'Job')).toHaveLength(plan.probes.length);
  });

  test('throws if a probe has no address, naming it and the ways out', () => {
    const chart = new Chart(new App(), 'probes');
    expect(() => new ProbeJobs(chart, 'Probes', { plan })).toThrow(/\[probes\/Probes\] \d+ probes have no Service on the probed port and no address: p\d+ \(shop\/web -> shop\/api TCP\/9000\).*\. Give their pod IPs in `addresses`, set `skipUnaddressed: true`/);
  });

  test('leaves them out with skipUnaddressed', () => {
    const chart = new Chart(new App(), 'probes');
    const c = new ProbeJobs(chart, 'Probes', { plan, skipUnaddressed: true });
    expect(c.manifests.unaddressed.length).toBeGreaterThan(0);
    expect(Testing.synth(chart).filter(o => o.kind === 'Job')).toHaveLength(plan.probes.length - c.manifests.unaddressed.length);
  });

  test('throws if the plan is missing', () => {
    const chart = new Chart(new App(), 'probes');
    expect(() => new ProbeJobs(chart, 'Probes', {} as any)).toThrow(/^\[probes\/Probes\] plan: undefined: must be a ProbePlan/);
    // nothing half-built is left behind
    expect(chart.node.tryFindChild('Probes')).toBeUndefined();
  });

  test('throws on an unknown option or a look-alike plan, instead of ignoring it', () => {
    const emptyPlan = ProbePlan.fromObjects([]);
    expect(() => ProbeManifests.render(emptyPlan, { adresses: {} } as any)).toThrow(/options\.adresses: unknown prop "adresses"; did you mean `addresses`\?/);
    expect(() => ProbeManifests.render({ probes: [] } as any)).toThrow(/^\[ProbeManifests\.render\] plan: .*must be a ProbePlan/);
    expect(() => ProbePlan.fromObjects([], { maxFlow: 1 } as any)).toThrow(/options\.maxFlow: unknown prop "maxFlow"; did you mean `maxFlows`\?/);
    expect(() => ProbePlan.fromObjects([], null as any)).toThrow(/\[ProbePlan\] options: null/);
  });
});
