/**
 * Input the linter cannot analyse (an object the API server would reject, a policy or pod
 * defined twice); the message names the object and the field.
 */
export class LintInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LintInputError';
  }
}
