import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { LintInput } from '../lint-options';

/**
 * The objects below a construct, each with the construct path findings should name: for an
 * ApiObject with the conventional id `Resource` (this library's constructs, cdk8s-plus), the
 * construct that owns it; otherwise the ApiObject itself.
 *
 * Objects are rendered with `ApiObject.toJson()`, never `Chart.toJson()`, which would run the
 * app's validations (and with them, this linter) again.
 */
export function constructInputs(scope: IConstruct): LintInput[] {
  return scope.node.findAll()
    .filter((c): c is ApiObject => ApiObject.isApiObject(c))
    .map(o => ({ manifest: o.toJson(), constructPath: ownerPath(o) }));
}

function ownerPath(o: ApiObject): string {
  const owner = o.node.id === 'Resource' ? o.node.scope : undefined;
  return owner ? owner.node.path : o.node.path;
}
