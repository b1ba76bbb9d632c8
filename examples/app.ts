import * as path from 'path';
import { App, YamlOutputType } from 'cdk8s';
import { CrossNamespaceChart } from './charts/cross-namespace';
import { DefaultDenyChart } from './charts/default-deny';
import { DnsChart } from './charts/dns';
import { EgressAllowlistChart } from './charts/egress-allowlist';
import { ExternalEgressChart } from './charts/external-egress';
import { IpBlocksAndPortsChart } from './charts/ip-blocks-and-ports';
import { MetadataChart } from './charts/metadata';
import { MonitoringChart } from './charts/monitoring';
import { NamespaceIsolationChart } from './charts/namespace-isolation';
import { ShopChart } from './charts/shop';
import { TiersChart } from './charts/tiers';

/**
 * Where the app writes its manifests: the directory `cdk8s synth` asks for (it passes it in
 * `CDK8S_OUTDIR`, relative to the directory it runs in), else `dist/` at the repository root.
 */
export function defaultOutdir(): string {
  const fromCli = process.env.CDK8S_OUTDIR;
  return fromCli ? path.resolve(fromCli) : path.resolve(__dirname, '..', 'dist');
}

/**
 * The example app: the flagship `shop` chart, then one chart per scenario, each in its own
 * namespaces. Every chart synthesizes to its own file, `<chart id>.k8s.yaml`.
 *
 * @param outdir where `app.synth()` writes; nothing is written until it is called
 */
export function buildApp(outdir: string = defaultOutdir()): App {
  const app = new App({ outdir, yamlOutputType: YamlOutputType.FILE_PER_CHART });
  new ShopChart(app, 'shop');
  new DefaultDenyChart(app, 'default-deny');
  new DnsChart(app, 'dns');
  new TiersChart(app, 'tiers');
  new NamespaceIsolationChart(app, 'namespace-isolation');
  new CrossNamespaceChart(app, 'cross-namespace');
  new MonitoringChart(app, 'monitoring');
  new IpBlocksAndPortsChart(app, 'ip-blocks-and-ports');
  new MetadataChart(app, 'metadata');
  new ExternalEgressChart(app, 'external-egress');
  new EgressAllowlistChart(app, 'egress-allowlist');
  return app;
}
