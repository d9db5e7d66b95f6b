import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import envPaths from 'env-paths';
import { z } from 'zod';

/**
 * Where `tandem login` keeps each API's tokens: `credentials.json` in the user's config
 * directory (`$XDG_CONFIG_HOME/tandem`, `~/.config/tandem` by default on Linux), readable by
 * the user alone (0600), like `gh` and the AWS CLI keep theirs.
 */
const signInSchema = z.object({
  issuer: z.string(),
  clientId: z.string(),
  accessToken: z.string(),
  refreshToken: z.string().optional(),
  expiresAt: z.number(),
});
export type StoredSignIn = z.output<typeof signInSchema>;

const fileSchema = z.object({ signIns: z.record(z.string(), signInSchema) });
type SignInFile = z.output<typeof fileSchema>;

export const configDir = () => envPaths('tandem', { suffix: '' }).config;
export const signInFile = () => join(configDir(), 'credentials.json');

export async function readSignIn(apiUrl: string): Promise<StoredSignIn | undefined> {
  return (await readFileOrEmpty()).signIns[apiUrl];
}

export async function saveSignIn(apiUrl: string, signIn: StoredSignIn): Promise<void> {
  const file = await readFileOrEmpty();
  file.signIns[apiUrl] = signIn;
  await writeSignIns(file);
}

/** Forgets the API's tokens; what was stored, if anything. */
export async function forgetSignIn(apiUrl: string): Promise<StoredSignIn | undefined> {
  const file = await readFileOrEmpty();
  const forgotten = file.signIns[apiUrl];
  if (!forgotten) return undefined;
  delete file.signIns[apiUrl];
  await writeSignIns(file);
  return forgotten;
}

/** A missing or unreadable file holds no sign-ins (the next `tandem login` writes a good one). */
async function readFileOrEmpty(): Promise<SignInFile> {
  try {
    const parsed = fileSchema.safeParse(JSON.parse(await readFile(signInFile(), 'utf8')));
    if (parsed.success) return parsed.data;
  } catch {
    // No file yet.
  }
  return { signIns: {} };
}

/** Written whole to a private temporary file, then renamed: never half a file, never readable by others. */
async function writeSignIns(file: SignInFile): Promise<void> {
  await mkdir(configDir(), { recursive: true, mode: 0o700 });
  const target = signInFile();
  const temporary = `${target}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, target);
}
