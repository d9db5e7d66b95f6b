import { GetObjectCommand, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import type { RawMailStore } from '../../ports.ts';

/** Where the SES receipt rule's S3 action writes each message: `<prefix><SES messageId>`. */
export const inboundMailPrefix = 'inbound/';

/** Reads raw inbound messages from the inbound-mail bucket, only as many bytes as Tandem reads. */
export class S3RawMailStore implements RawMailStore {
  readonly #s3: S3Client;
  readonly #bucket: string;

  constructor(s3: S3Client, bucket: string) {
    this.#s3 = s3;
    this.#bucket = bucket;
  }

  async read(messageId: string, maxBytes: number): Promise<Uint8Array | undefined> {
    try {
      const object = await this.#s3.send(
        new GetObjectCommand({
          Bucket: this.#bucket,
          Key: `${inboundMailPrefix}${messageId}`,
          Range: `bytes=0-${maxBytes - 1}`,
        }),
      );
      return object.Body ? await object.Body.transformToByteArray() : undefined;
    } catch (error) {
      if (error instanceof NoSuchKey) return undefined;
      throw error;
    }
  }
}
