import { execFileSync } from 'node:child_process';
import { connect } from 'node:net';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { describe, expect, it } from 'vitest';
import { localCredentials, localRegion, startDynamoDbLocal } from '../../local/dynamodb-local.ts';
import { startSesLocal } from '../../local/ses-local.ts';

const javaProcesses = (endpoint: string) => {
  const port = new URL(endpoint).port;
  try {
    return execFileSync('pgrep', ['-f', `DynamoDBLocal.jar -port ${port}`], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
};

describe('local engines', () => {
  it('starts DynamoDB Local on a free port and leaves no process after stop', async () => {
    const engine = await startDynamoDbLocal();
    expect(javaProcesses(engine.endpoint)).not.toBe('');
    const client = new DynamoDBClient({
      endpoint: engine.endpoint,
      region: localRegion,
      credentials: localCredentials,
    });
    expect((await client.send(new ListTablesCommand({}))).TableNames).toEqual([]);
    client.destroy();
    await engine.stop();
    expect(javaProcesses(engine.endpoint)).toBe('');
  });

  it('says what to install when Java is missing', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      await expect(startDynamoDbLocal()).rejects.toThrow(
        /^Java 17 or newer is needed to run DynamoDB Local: install it/,
      );
    } finally {
      process.env.PATH = path;
    }
  });

  it('captures a sent email in aws-ses-v2-local and serves the web inbox', async () => {
    const ses = await startSesLocal();
    try {
      const inbox = await fetch(ses.inboxUrl);
      expect(inbox.status).toBe(200);
      const client = new SESv2Client({
        endpoint: ses.endpoint,
        region: localRegion,
        credentials: localCredentials,
      });
      await client.send(
        new SendEmailCommand({
          FromEmailAddress: 'mentoring@example.org',
          Destination: { ToAddresses: ['tom@example.com'] },
          Content: {
            Simple: {
              Subject: { Data: 'Hello' },
              Body: { Text: { Data: 'Hi Tom' } },
              Headers: [{ Name: 'Auto-Submitted', Value: 'auto-generated' }],
            },
          },
        }),
      );
      client.destroy();
      const store = (await fetch(`${ses.endpoint}/store`).then((r) => r.json())) as { emails: unknown[] };
      expect(store.emails).toEqual([
        expect.objectContaining({
          subject: 'Hello',
          destination: expect.objectContaining({ to: ['tom@example.com'] }),
          headers: [{ name: 'Auto-Submitted', value: 'auto-generated' }],
        }),
      ]);
    } finally {
      await ses.stop();
    }
    await expect(fetch(`${ses.endpoint}/store`)).rejects.toThrow();
  });

  it('keeps an idle connection open, so a send on it never meets a closing socket', async () => {
    const ses = await startSesLocal();
    const { port } = new URL(ses.endpoint);
    const socket = connect(Number(port), '127.0.0.1');
    try {
      const closed = new Promise<string>((resolve) => socket.once('end', () => resolve('closed')));
      const answered = new Promise<string>((resolve) =>
        socket.once('data', (data) => resolve(String(data).split('\r\n')[0] ?? '')),
      );
      socket.write(`GET /store HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: keep-alive\r\n\r\n`);
      expect(await answered).toBe('HTTP/1.1 200 OK');
      // Node's servers close idle connections after 5 s by default (6 s on Node 24, with its buffer).
      const idle = new Promise<string>((resolve) => setTimeout(() => resolve('open'), 8_000));
      expect(await Promise.race([closed, idle])).toBe('open');
    } finally {
      socket.destroy();
      await ses.stop();
    }
  });
});
