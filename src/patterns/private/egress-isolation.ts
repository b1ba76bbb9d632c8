import { IConstruct } from 'constructs';
import type { Policy } from '../../policy';
import { isAttached } from '../../private/synth-memo';

/**
 * The `DefaultDeny` policies (and so `NamespaceBaseline`s) that isolate every pod of a namespace
 * for egress, per app: what an allow pattern whose both ends live in that namespace must open
 * egress for, too.
 */
const DENIALS = new WeakMap<IConstruct, Policy[]>();

/** Records a policy that isolates every pod of its namespace for egress. */
export function recordEgressDenial(policy: Policy): void {
  const root = policy.node.root;
  let all = DENIALS.get(root);
  if (!all) DENIALS.set(root, all = []);
  all.push(policy);
}

/** The policies still in the tree that isolate every pod of `namespace` for egress, in `scope`'s app. */
export function egressDenials(scope: IConstruct, namespace: string): Policy[] {
  return (DENIALS.get(scope.node.root) ?? []).filter(p => p.namespace === namespace && isAttached(p));
}
