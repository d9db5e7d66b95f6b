import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { RawMailStore } from '../../ports.ts';

/** Raw inbound messages as files named by message id: the local stack's inbound-mail bucket. */
export class FileRawMailStore implements RawMailStore {
  readonly #folder: string;

  constructor(folder: string) {
    this.#folder = folder;
  }

  async read(messageId: string, maxBytes: number): Promise<Uint8Array | undefined> {
    if (!/^[\w.-]+$/.test(messageId)) return undefined;
    let file: Awaited<ReturnType<typeof open>> | undefined;
    try {
      file = await open(join(this.#folder, messageId), 'r');
      // A buffer of the message's size: most are a few KB, far under the limit.
      const length = Math.min(maxBytes, (await file.stat()).size);
      const buffer = Buffer.allocUnsafe(length);
      const { bytesRead } = await file.read(buffer, 0, length, 0);
      return buffer.subarray(0, bytesRead);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    } finally {
      await file?.close();
    }
  }
}
