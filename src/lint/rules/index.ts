import { CLUSTER_ADMIN_ACCEPT_BYPASSES_ISOLATION } from './cluster-admin-accept-bypasses-isolation';
import { CLUSTER_BASELINE_DENY_OVERRIDDEN } from './cluster-baseline-deny-overridden';
import { CLUSTER_DOMAIN_NAMES_NOT_ACCEPT } from './cluster-domain-names-not-accept';
import { CLUSTER_PRIORITY_OVERLAP } from './cluster-priority-overlap';
import { CLUSTER_RULE_SHADOWED } from './cluster-rule-shadowed';
import { EGRESS_WITHOUT_DNS } from './egress-without-dns';
import { HOST_NETWORK_PODS_SELECTED } from './host-network-pods-selected';
import { INGRESS_FROM_ALL_NAMESPACES } from './ingress-from-all-namespaces';
import { INGRESS_FROM_ANYWHERE } from './ingress-from-anywhere';
import { METADATA_REACHABLE } from './metadata-reachable';
import { MISSING_DEFAULT_DENY_EGRESS } from './missing-default-deny-egress';
import { MISSING_DEFAULT_DENY_INGRESS } from './missing-default-deny-ingress';
import { PEER_AND_OR_CONFUSION } from './peer-and-or-confusion';
import { POLICY_WITHOUT_EFFECT } from './policy-without-effect';
import { RULES_IGNORED_BY_POLICY_TYPES } from './rules-ignored-by-policy-types';
import { SELECTOR_MATCHES_NOTHING } from './selector-matches-nothing';
import { SERVICE_PORT_CONFUSION } from './service-port-confusion';
import { WIDE_PORT_RANGE } from './wide-port-range';
import { LintCheck } from '../private/lint-check';

/** Every lint rule, in id order. Ids are stable: a retired rule's id is never reused. */
export const ALL_RULES: readonly LintCheck[] = [
  MISSING_DEFAULT_DENY_INGRESS,
  MISSING_DEFAULT_DENY_EGRESS,
  EGRESS_WITHOUT_DNS,
  METADATA_REACHABLE,
  SELECTOR_MATCHES_NOTHING,
  INGRESS_FROM_ANYWHERE,
  RULES_IGNORED_BY_POLICY_TYPES,
  POLICY_WITHOUT_EFFECT,
  PEER_AND_OR_CONFUSION,
  WIDE_PORT_RANGE,
  INGRESS_FROM_ALL_NAMESPACES,
  SERVICE_PORT_CONFUSION,
  CLUSTER_PRIORITY_OVERLAP,
  CLUSTER_RULE_SHADOWED,
  CLUSTER_DOMAIN_NAMES_NOT_ACCEPT,
  HOST_NETWORK_PODS_SELECTED,
  CLUSTER_BASELINE_DENY_OVERRIDDEN,
  CLUSTER_ADMIN_ACCEPT_BYPASSES_ISOLATION,
];
