import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localRegion } from '../../local/dynamodb-local.ts';
import { inboundMailPrefix, S3RawMailStore } from '../../shared/adapters/s3/s3-raw-mail-store.ts';
import { maxReadBytes } from '../../shared/use-cases/receive-reply.ts';

/** The inbound-mail bucket's reader against a local S3 server (s3rver): real HTTP, real Range headers. */
describe('raw inbound mail from S3 (s3rver)', () => {
  const bucket = 'tandem-inbound-mail';
  let folder: string;
  let server: S3rver;
  let s3: S3Client;
  let store: S3RawMailStore;

  const put = (messageId: string, body: Uint8Array | string) =>
    s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${inboundMailPrefix}${messageId}`, Body: body }));

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'tandem-s3rver-'));
    server = new S3rver({ port: 0, address: '127.0.0.1', directory: folder, silent: true });
    const { port } = await server.run();
    s3 = new S3Client({
      endpoint: `http://127.0.0.1:${port}`,
      region: localRegion,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      forcePathStyle: true,
    });
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    store = new S3RawMailStore(s3, bucket);
  });
  afterAll(async () => {
    s3.destroy();
    await server.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('reads a message whole when it is short', async () => {
    const raw = 'From: tom@example.org\r\nSubject: Re: check-in\r\n\r\nYes we met.\r\n';
    await put('short-message', raw);
    expect(Buffer.from((await store.read('short-message', maxReadBytes)) ?? []).toString()).toBe(raw);
  });

  it('fetches only the first bytes of a long one (a ranged read, not the whole object)', async () => {
    const head = Buffer.from('From: tom@example.org\r\n\r\nHello\r\n');
    const attachment = Buffer.alloc(3 * 1024 * 1024, 'A');
    await put('long-message', Buffer.concat([head, attachment]));
    const read = await store.read('long-message', maxReadBytes);
    expect(read?.byteLength).toBe(maxReadBytes);
    expect(Buffer.from(read ?? []).subarray(0, head.length)).toEqual(head);
  });

  it('reads a message of exactly the limit whole, and one byte more cut at the limit', async () => {
    await put('at-limit', Buffer.alloc(maxReadBytes, 'B'));
    await put('over-limit', Buffer.alloc(maxReadBytes + 1, 'C'));
    expect((await store.read('at-limit', maxReadBytes))?.byteLength).toBe(maxReadBytes);
    expect((await store.read('over-limit', maxReadBytes))?.byteLength).toBe(maxReadBytes);
  });

  it('says a missing message is missing', async () => {
    expect(await store.read('no-such-message', maxReadBytes)).toBeUndefined();
  });
});
