/**
 * The grammar of a container image reference, as the container runtimes read it
 * (`github.com/distribution/reference`): `[domain[:port]/]path[:tag][@algorithm:hex]`.
 */
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(`^(${NAME})(?::${TAG})?(?:@${DIGEST})?$`);

/** The longest repository name of a reference. */
const MAX_NAME_LENGTH = 255;

/** The problems with an image reference (none when it is valid). */
export function imageReferenceProblems(value: string): string[] {
  const m = REFERENCE.exec(value);
  if (!m) {
    return ['must be a container image reference: [registry[:port]/]repository[:tag][@digest], lowercase repository path, e.g. "registry.k8s.io/e2e-test-images/agnhost:2.53"'];
  }
  if (m[1].length > MAX_NAME_LENGTH) return [`the repository name must be no more than ${MAX_NAME_LENGTH} characters`];
  return [];
}
