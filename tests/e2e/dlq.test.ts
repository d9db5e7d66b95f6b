import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { createSqsServer } from 'local-aws-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli, stackTraceLine } from '../support/cli.ts';
import { tempDir } from '../support/temp-dirs.ts';

/**
 * `tandem dlq` against a real SQS engine on localhost (local-aws-sqs, which speaks SQS's JSON
 * protocol, redrive policies and message move tasks), with the queues the stack deploys, and a
 * stand-in for Lambda's Invoke API that records what the inbound function is sent again.
 */
const region = 'us-east-1';
let sqsServer: Server;
let lambdaServer: Server;
let sqs: SQSClient;
let env: Record<string, string>;
let outputsFile: string;
const invocations: { functionName: string; type: string | undefined; payload: string }[] = [];
const queues: Record<'source' | 'sesDlq' | 'inboundDlq', string> = { source: '', sesDlq: '', inboundDlq: '' };

/** An SES event as EventBridge delivers it (configuration set → EventBridge → queue). */
const sesEvent = (eventType: string, messageId: string) =>
  JSON.stringify({
    version: '0',
    id: `event-${messageId}`,
    'detail-type': `Email ${eventType}`,
    source: 'aws.ses',
    account: '123456789012',
    time: '2031-05-04T07:00:03Z',
    region,
    resources: [],
    detail: {
      eventType,
      mail: {
        messageId,
        destination: ['ana.lima@example.org'],
        tags: { cohort: ['spring-2031'], kind: ['check-in'], round: ['3'] },
      },
    },
  });

/** The SES receipt event the inbound function failed on (Lambda's asynchronous DLQ keeps the event). */
const receiptEvent = JSON.stringify({
  Records: [
    {
      eventSource: 'aws:ses',
      eventVersion: '1.0',
      ses: {
        mail: { messageId: 'o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g1', source: 'ben.okafor@example.com' },
        receipt: { recipients: ['reply+k7x2q9@reply.example.org'] },
      },
    },
  ],
});

const count = async (url: string) => {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }),
  );
  return Number(Attributes?.ApproximateNumberOfMessages);
};
const dlq = (args: string[], extraEnv: Record<string, string> = {}) =>
  runCli(['dlq', '--outputs-file', outputsFile, '--region', region, ...args], {
    env: { ...env, ...extraEnv },
  });

beforeAll(async () => {
  sqsServer = await createSqsServer({ port: 0, hostname: '127.0.0.1', region });
  const sqsEndpoint = `http://127.0.0.1:${(sqsServer.address() as AddressInfo).port}`;
  lambdaServer = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const functionName = decodeURIComponent(
        /\/functions\/([^/]+)\/invocations/.exec(request.url ?? '')?.[1] ?? '',
      );
      invocations.push({
        functionName,
        type: request.headers['x-amz-invocation-type'] as string | undefined,
        payload: Buffer.concat(chunks).toString(),
      });
      response.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => lambdaServer.listen(0, '127.0.0.1', resolve));
  const lambdaEndpoint = `http://127.0.0.1:${(lambdaServer.address() as AddressInfo).port}`;
  env = {
    AWS_ENDPOINT_URL_SQS: sqsEndpoint,
    AWS_ENDPOINT_URL_LAMBDA: lambdaEndpoint,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_REGION: region,
  };
  sqs = new SQSClient({
    endpoint: sqsEndpoint,
    region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});

afterAll(async () => {
  sqs?.destroy();
  await Promise.all(
    [sqsServer, lambdaServer].map(
      (server) =>
        new Promise<void>((resolve) => {
          if (!server) return resolve();
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
});

let run = 0;
beforeEach(async () => {
  // Fresh queues per test, as the stack names them, with the stack's redrive policy.
  run++;
  const create = async (name: string, attributes: Record<string, string> = {}) =>
    (await sqs.send(new CreateQueueCommand({ QueueName: `${name}-${run}`, Attributes: attributes })))
      .QueueUrl ?? '';
  queues.sesDlq = await create('tandem-ses-events-dead-letters');
  queues.inboundDlq = await create('tandem-inbound-dead-letters');
  const arnOf = (name: string) => `arn:aws:sqs:${region}:123456789012:${name}-${run}`;
  queues.source = await create('tandem-ses-events', {
    RedrivePolicy: JSON.stringify({
      deadLetterTargetArn: arnOf('tandem-ses-events-dead-letters'),
      maxReceiveCount: 8,
    }),
  });
  outputsFile = join(tempDir('tandem-dlq-'), 'outputs.json');
  writeFileSync(
    outputsFile,
    JSON.stringify({
      TandemStateful: {},
      TandemStateless: {
        ApiUrl: 'https://abc123.execute-api.us-east-1.amazonaws.com',
        SesEventsDeadLetterQueueUrl: queues.sesDlq,
        SesEventsRedriveQueueArn: arnOf('tandem-ses-events'),
        InboundDeadLetterQueueUrl: queues.inboundDlq,
        InboundRedriveFunctionName: 'TandemStateless-ReceivingInboundEmail33BB-k2Jd9',
      },
    }),
  );
  invocations.length = 0;
});

const putDeadLetters = async () => {
  for (const [type, id] of [
    ['Bounce', '0100018f-bounce'],
    ['Delivery', '0100018f-delivery'],
  ] as const) {
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queues.sesDlq,
        MessageBody: sesEvent(type, id),
        MessageAttributes: {
          ERROR_CODE: { DataType: 'String', StringValue: 'SQSError' },
          ERROR_MESSAGE: { DataType: 'String', StringValue: 'Access to the KMS key was denied' },
        },
      }),
    );
  }
  await sqs.send(
    new SendMessageCommand({
      QueueUrl: queues.inboundDlq,
      MessageBody: receiptEvent,
      MessageAttributes: {
        ErrorCode: { DataType: 'Number', StringValue: '200' },
        ErrorMessage: {
          DataType: 'String',
          StringValue: 'No participant ben.okafor@example.com in spring-2031',
        },
      },
    }),
  );
};

describe('tandem dlq', () => {
  it('shows what waits in each dead-letter queue and why it failed, addresses masked, without taking it', async () => {
    await putDeadLetters();
    const result = await dlq([]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('SesEvents: 2 messages waiting');
    expect(result.stdout).toContain(
      'SES Bounce event of message 0100018f-bounce (cohort spring-2031, kind check-in, round 3)',
    );
    expect(result.stdout).toContain('failed with: Access to the KMS key was denied');
    expect(result.stdout).toContain('Inbound: 1 message waiting');
    expect(result.stdout).toContain('Reply o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g1 from b***@example.com');
    expect(result.stdout).toContain('failed with: No participant b***@example.com in spring-2031');
    expect(result.stdout).not.toContain('ben.okafor@');
    expect(result.stdout).toContain('tandem dlq --redrive --queue SesEvents');
    // Looking takes nothing away.
    expect(await count(queues.sesDlq)).toBe(2);
    expect(await count(queues.inboundDlq)).toBe(1);
  });

  it('says when a queue is empty, and gives JSON on request', async () => {
    const result = await dlq(['--json', '--queue', 'inbound']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([
      { queue: 'Inbound', waiting: 0, inFlight: 0, messages: [], text: 'Inbound: 0 messages waiting' },
    ]);
  });

  it('--redrive moves SES events back to their queue and sends failed replies to the function again', async () => {
    await putDeadLetters();
    const result = await dlq(['--redrive']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('SesEvents: moved 2 messages back to tandem-ses-events-');
    expect(result.stdout).toContain(
      'Inbound: sent 1 event back to the function TandemStateless-ReceivingInboundEmail33BB-k2Jd9.',
    );
    // The events are in the queue the SES events function reads, unchanged.
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queues.source, MaxNumberOfMessages: 10, VisibilityTimeout: 30 }),
    );
    expect(Messages.map((m) => JSON.parse(m.Body ?? '').detail.eventType).sort()).toEqual([
      'Bounce',
      'Delivery',
    ]);
    expect(await count(queues.sesDlq)).toBe(0);
    // The reply's SES event went to the inbound function as SES sends it: asynchronously.
    expect(invocations).toEqual([
      {
        functionName: 'TandemStateless-ReceivingInboundEmail33BB-k2Jd9',
        type: 'Event',
        payload: receiptEvent,
      },
    ]);
    expect(await count(queues.inboundDlq)).toBe(0);
  });

  it('leaves a dead letter in its queue when Lambda does not take it', async () => {
    await putDeadLetters();
    const result = await dlq(['--redrive', '--queue', 'Inbound'], {
      AWS_ENDPOINT_URL_LAMBDA: 'http://127.0.0.1:9',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Cannot reach AWS');
    expect(result.stderr).not.toMatch(stackTraceLine);
    // Not deleted, and visible again at once for the next attempt.
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queues.inboundDlq,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 30,
      }),
    );
    expect(Messages.map((message) => message.Body)).toEqual([receiptEvent]);
  });

  it('explains plainly when it cannot reach AWS: no network, no credentials, no region', async () => {
    // The SQS client sends each request to its queue's URL: nothing listens at this one.
    const unreachable = join(tempDir('tandem-dlq-'), 'outputs.json');
    writeFileSync(
      unreachable,
      JSON.stringify({
        TandemStateless: { InboundDeadLetterQueueUrl: 'http://127.0.0.1:9/123456789012/tandem-inbound' },
      }),
    );
    const { AWS_ENDPOINT_URL_SQS: _local, ...credentials } = env;
    const offline = await runCli(['dlq', '--outputs-file', unreachable, '--region', region], {
      env: credentials,
    });
    expect(offline.code).toBe(1);
    expect(offline.stderr).toMatch(
      /^Error: Cannot reach AWS \(ECONNREFUSED\): check your network connection/m,
    );
    expect(offline.stderr).not.toMatch(stackTraceLine);

    const home = tempDir('tandem-home-');
    const noCredentials = await runCli(['dlq', '--region', region], {
      env: {
        HOME: home,
        AWS_ACCESS_KEY_ID: '',
        AWS_SECRET_ACCESS_KEY: '',
        AWS_PROFILE: '',
        AWS_EC2_METADATA_DISABLED: 'true',
      },
    });
    expect(noCredentials.code).toBe(1);
    expect(noCredentials.stderr).toContain('Cannot reach AWS: no credentials found');
    expect(noCredentials.stderr).toContain('--profile');
    expect(noCredentials.stderr).not.toMatch(stackTraceLine);

    const { AWS_REGION: _region, ...everywhere } = env;
    const noRegion = await runCli(['dlq'], { env: { ...everywhere, HOME: home } });
    expect(noRegion.code).toBe(1);
    expect(noRegion.stderr).toContain('no region given. Pass --region <region>');
  });

  it('names the queues there are when asked for one that is not', async () => {
    const result = await dlq(['--queue', 'Outbound']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'No dead-letter queue named Outbound. The stack has: SesEvents, Inbound.',
    );
    const badMax = await dlq(['--max', 'lots']);
    expect(badMax.stderr).toContain('--max must be a whole number of messages');
  });
});
