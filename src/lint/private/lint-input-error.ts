/**
 * Input the linter cannot analyse (an object the API server would reject, a policy or pod
 * defined twice, a lint configuration file it cannot use); the message names the object and the
 * field, or the file and the field.
 */
export class LintInputError extends Error {
  /**
   * @param message what is wrong, naming the object or the file and the field
   * @param configFile the lint configuration file at fault (the one the lint was given or found,
   *   even when the problem is in a file it `extends`), when the problem is in one
   */
  constructor(message: string, public readonly configFile?: string) {
    super(message);
    this.name = 'LintInputError';
  }
}

