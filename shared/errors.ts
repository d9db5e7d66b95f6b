/**
 * Errors a user can cause. Each carries a plain-language message that says what is wrong
 * and how to fix it; handlers and the CLI print it as is, never with a stack trace.
 */

/** One problem in a piece of input: where it is, what is wrong, how to fix it. */
export interface FieldIssue {
  /** Dotted path into the input, e.g. `intake.closes` or `topics`. Empty for the whole input. */
  path: string;
  message: string;
  hint?: string;
  /** Line in the source file, when the input came from a file. */
  line?: number;
}

export type ErrorCode =
  | 'invalid_input'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'too_many_requests'
  | 'setup';

const statusByCode: Record<ErrorCode, number> = {
  invalid_input: 400,
  /** No token, or one that is expired, forged or from another issuer. */
  unauthorized: 401,
  /** A valid token that does not reach this cohort (or this action). */
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  too_many_requests: 429,
  setup: 500,
};

export class TandemError extends Error {
  readonly code: ErrorCode;
  readonly issues: FieldIssue[];

  constructor(code: ErrorCode, message: string, issues: FieldIssue[] = []) {
    super(message);
    this.name = 'TandemError';
    this.code = code;
    this.issues = issues;
  }

  get httpStatus(): number {
    return statusByCode[this.code];
  }
}

export const invalidInput = (message: string, issues: FieldIssue[]) =>
  new TandemError('invalid_input', message, issues);
export const notFound = (message: string) => new TandemError('not_found', message);
export const conflict = (message: string) => new TandemError('conflict', message);
export const unauthorized = (message: string) => new TandemError('unauthorized', message);
export const forbidden = (message: string) => new TandemError('forbidden', message);
export const tooManyRequests = (message: string) => new TandemError('too_many_requests', message);

/** The JSON body of every refused request: `{"error": {"code", "message", "issues"}}`. */
export const errorBody = (error: TandemError) => ({
  error: { code: error.code, message: error.message, issues: error.issues },
});

/** Renders issues as indented lines for terminals and logs. */
export function formatIssues(issues: readonly FieldIssue[]): string {
  return issues
    .map((issue) => {
      const where = [issue.line === undefined ? '' : `line ${issue.line}`, issue.path]
        .filter(Boolean)
        .join(' ');
      const head = `  - ${where ? `${where}: ` : ''}${issue.message}`;
      return issue.hint ? `${head}\n      hint: ${issue.hint}` : head;
    })
    .join('\n');
}

export function describeError(error: TandemError): string {
  return error.issues.length > 0 ? `${error.message}\n${formatIssues(error.issues)}` : error.message;
}
