import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { PROBE_MANIFEST_OPTION_KEYS, ProbeManifestOptions, ProbeManifests } from './probe-manifests';
import { ProbePlan } from './probe-plan';
import { PolicyError } from '../private/errors';
import { childPath } from '../private/naming';
import { constructArgs, fail, optionalBoolean, props as checkProps } from '../private/runtime-check';

/**
 * Props of `ProbeJobs`.
 */
export interface ProbeJobsProps extends ProbeManifestOptions {
  /** The plan to run: build it from the app's other charts (`ProbePlan.fromApp`) before adding this construct. */
  readonly plan: ProbePlan;
  /**
   * Whether to leave out, instead of failing on, probes whose destination no Service selects on
   * the probed port and that `addresses` does not cover.
   *
   * @default false: such a probe is an error, naming it and how to address it
   */
  readonly skipUnaddressed?: boolean;
}

/**
 * The probe Jobs of a plan (and the probe Namespace), as cdk8s `ApiObject`s, so an app can
 * synthesize them into a chart of their own and apply it after the policies:
 * `kubectl apply -f dist/probes.k8s.yaml`, then read each Job's pod (see `ProbeManifests`).
 * `netpol probe run` does all of it, including the pod IP lookup and the clean-up.
 *
 * @example
 * const plan = ProbePlan.fromChart(chart);
 * const probes = new Chart(app, 'probes');
 * new ProbeJobs(probes, 'Probes', { plan, skipUnaddressed: true });
 */
export class ProbeJobs extends Construct {
  /** The rendered objects (also this construct's children). */
  public readonly manifests: ProbeManifests;

  public constructor(scope: Construct, id: string, props: ProbeJobsProps) {
    constructArgs('ProbeJobs', scope, id);
    const where = childPath(scope, id);
    const { plan, skipUnaddressed, ...options } = checkProps<ProbeJobsProps>(where, 'props', props, ['plan', 'skipUnaddressed', ...PROBE_MANIFEST_OPTION_KEYS]);
    if (!(plan instanceof ProbePlan)) fail(where, 'plan', plan, 'must be a ProbePlan (ProbePlan.fromApp(app) or ProbePlan.fromObjects(objects))');
    optionalBoolean(where, 'skipUnaddressed', skipUnaddressed);
    // rendered (and refused) before the construct exists: a failure leaves nothing half-built
    const manifests = ProbeManifests.render(plan, options);
    if (manifests.unaddressed.length > 0 && skipUnaddressed !== true) {
      const which = plan.probes.filter(p => manifests.unaddressed.includes(p.id)).map(p => `${p.id} (${p.description})`);
      throw new PolicyError(where, `${which.length} probes have no Service on the probed port and no address: ${which.join(', ')}. `
        + 'Give their pod IPs in `addresses`, set `skipUnaddressed: true`, or use `netpol probe run`, which looks them up');
    }
    super(scope, id);
    this.manifests = manifests;
    for (const obj of this.manifests.objects) {
      // the probe namespace is `Namespace`; a representative source's namespace is `Namespace-<name>`
      const child = obj.kind !== 'Namespace' ? obj.metadata.name : obj.metadata.name === plan.probeNamespace ? 'Namespace' : `Namespace-${obj.metadata.name}`;
      new ApiObject(this, child, obj);
    }
  }
}
