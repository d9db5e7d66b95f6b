import { describeError, TandemError } from '../shared/errors.ts';

/**
 * Runs a command action: a user's mistake prints its message and hints, never a stack trace,
 * and sets exit code 1. Unexpected failures print one line (the stack with TANDEM_DEBUG=1).
 */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void>) {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (error) {
      process.exitCode = 1;
      if (error instanceof TandemError) {
        console.error(`Error: ${describeError(error)}`);
        return;
      }
      const detail = error instanceof Error ? error.message : String(error);
      console.error(`Error: ${detail}`);
      if (process.env.TANDEM_DEBUG) console.error(error);
      else console.error('(set TANDEM_DEBUG=1 to see the details)');
    }
  };
}

export const printJson = (value: unknown) => console.log(JSON.stringify(value, null, 2));
