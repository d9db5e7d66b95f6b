import { readFile } from 'node:fs/promises';
import { TandemError } from './errors.ts';

/** Reads a text file the user named, turning "no such file" into a plain message. */
export async function readInputFile(path: string, what: string): Promise<string> {
  return (await readInputBytes(path, what)).toString('utf8');
}

/** Reads a file the user named as bytes (an email's charsets are its own), with the same plain messages. */
export async function readInputBytes(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a folder' : 'cannot be read';
    throw new TandemError('invalid_input', `The ${what} ${path} ${reason}.`);
  }
}
