/**
 * Thrown for input the analysis cannot evaluate (an object the API server would reject, an
 * unknown endpoint, a bad port); the message names the object and the field.
 */
export class AnalysisInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AnalysisInputError';
  }
}
