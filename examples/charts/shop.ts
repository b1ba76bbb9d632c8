import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { AllowMonitoring, LabelSelector, NamespaceBaseline, Peer, Policy, Port, TieredApp } from '../../src';
import { declareNamespace } from '../namespace';

/** The labels of the ingress-nginx controller pods (as the ingress-nginx Helm chart sets them). */
export const INGRESS_CONTROLLER_LABELS = { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' };

/** The labels of the Prometheus server pods (as kube-prometheus-stack sets them). */
export const PROMETHEUS_LABELS = { 'app.kubernetes.io/name': 'prometheus' };

/**
 * What every container of the shop sets to be admitted into a namespace that enforces the
 * `restricted` Pod Security Standard: cdk8s-plus already runs containers as non-root without
 * privilege escalation; the level also wants every capability dropped and the runtime's
 * default seccomp profile.
 */
const RESTRICTED: kplus.ContainerSecurityContextProps = {
  ensureNonRoot: true,
  allowPrivilegeEscalation: false,
  capabilities: { drop: [kplus.Capability.ALL] },
  seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
};

/**
 * The flagship example: the `shop` namespace, as a platform team locks it down.
 *
 * 1. The workloads, written with cdk8s-plus-28: a `frontend` and a `backend` Deployment, a
 *    `postgres` StatefulSet and a `migrations` Job. Each exposes its ports by name, and the
 *    long-running ones a `metrics` port.
 * 2. `NamespaceBaseline`: every pod is isolated both ways, every pod may resolve names through
 *    cluster DNS, and no policy in the namespace may ever open the cloud metadata endpoints.
 * 3. `TieredApp`: the ingress-nginx controller → frontend:8080 → backend:9000 → postgres:5432.
 *    Each tier accepts only the tier before it and reaches only the tier after it. The tiers
 *    are the Deployments' own pods (`LabelSelector.fromPodSelector`), so nothing can drift.
 * 4. `AllowMonitoring`: Prometheus, in the `monitoring` namespace, scrapes the `metrics`
 *    container port of every pod that has one.
 * 5. A `Policy` pair for the one flow outside the tier chain: the migrations Job reaches the
 *    database (egress on the Job's pods, ingress on the database's), with the peers taken from
 *    the workloads (`Peer.fromPodSelector`).
 *
 * Everything else is denied: the frontend cannot reach the database, nothing outside the
 * ingress controller reaches the frontend, and no pod reaches the internet.
 */
export class ShopChart extends Chart {
  public static readonly NAMESPACE = 'shop';

  public readonly frontend: kplus.Deployment;
  public readonly backend: kplus.Deployment;
  public readonly database: kplus.StatefulSet;
  public readonly migrations: kplus.Job;

  public constructor(scope: Construct, id: string) {
    super(scope, id, { namespace: ShopChart.NAMESPACE });
    declareNamespace(this, ShopChart.NAMESPACE, { 'team': 'shop', 'pod-security.kubernetes.io/enforce': 'restricted' });

    // 1. The workloads.
    this.frontend = new kplus.Deployment(this, 'Frontend', {
      metadata: { name: 'frontend' },
      containers: [{
        name: 'web',
        image: 'ghcr.io/acme/shop-frontend:2.3.0',
        ports: [{ name: 'http', number: 8080 }, { name: 'metrics', number: 9090 }],
        securityContext: RESTRICTED,
      }],
    });
    this.backend = new kplus.Deployment(this, 'Backend', {
      metadata: { name: 'backend' },
      containers: [{
        name: 'api',
        image: 'ghcr.io/acme/shop-backend:2.3.0',
        ports: [{ name: 'http', number: 9000 }, { name: 'metrics', number: 9090 }],
        securityContext: RESTRICTED,
      }],
    });
    this.database = new kplus.StatefulSet(this, 'Database', {
      metadata: { name: 'postgres' },
      containers: [
        // the postgres image's own user (uid 999), as the image documents for running without root
        { name: 'postgres', image: 'postgres:16.4', ports: [{ name: 'postgres', number: 5432 }], securityContext: { ...RESTRICTED, user: 999 } },
        { name: 'exporter', image: 'quay.io/prometheuscommunity/postgres-exporter:v0.15.0', ports: [{ name: 'metrics', number: 9187 }], securityContext: RESTRICTED },
      ],
    });
    this.migrations = new kplus.Job(this, 'Migrations', {
      metadata: { name: 'migrations' },
      containers: [{ name: 'migrate', image: 'ghcr.io/acme/shop-migrations:2.3.0', securityContext: RESTRICTED }],
    });

    // 2. Zero trust: deny both ways, allow DNS, keep cloud metadata unreachable.
    new NamespaceBaseline(this, 'Baseline');

    // 3. ingress-nginx → frontend → backend → database. The baseline already allows DNS for
    //    every pod, so the tiers do not repeat it.
    new TieredApp(this, 'Tiers', {
      name: 'shop',
      entry: [Peer.podsInNamespace('ingress-nginx', INGRESS_CONTROLLER_LABELS)],
      allowDns: false,
      tiers: [
        { name: 'frontend', podSelector: LabelSelector.fromPodSelector(this.frontend), ports: [Port.tcp(8080)] },
        { name: 'backend', podSelector: LabelSelector.fromPodSelector(this.backend), ports: [Port.tcp(9000)] },
        { name: 'database', podSelector: LabelSelector.fromPodSelector(this.database), ports: [Port.tcp(5432)] },
      ],
    });

    // 4. Prometheus scrapes the `metrics` port, whatever its number on each pod.
    new AllowMonitoring(this, 'AllowPrometheus', {
      ports: [Port.named('metrics')],
      scraperPodLabels: PROMETHEUS_LABELS,
    });

    // 5. The migrations Job, and only it, reaches the database beyond the tier chain.
    new Policy(this, 'MigrationsToDatabase', {
      podSelector: LabelSelector.fromPodSelector(this.migrations),
      egress: [{ to: [Peer.fromPodSelector(this.database)], ports: [Port.tcp(5432)] }],
    });
    new Policy(this, 'DatabaseFromMigrations', {
      podSelector: LabelSelector.fromPodSelector(this.database),
      ingress: [{ from: [Peer.fromPodSelector(this.migrations)], ports: [Port.tcp(5432)] }],
    });
  }
}
