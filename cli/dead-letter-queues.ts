import { readFile } from 'node:fs/promises';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
// Not through functions/powertools.ts: that would build the handlers' logger before `tandem
// simulate` configures it.
import { maskEmails } from '../functions/mask-emails.ts';
import { TandemError } from '../shared/errors.ts';

/**
 * The AWS side of `tandem dlq` (cli/commands/dlq.ts): the deployed stack's dead-letter queues,
 * looked at or sent back. Its own module, loaded only when the command runs: the AWS SDK's
 * clients would slow every other command's start.
 */

const urlSuffix = 'DeadLetterQueueUrl';

export interface DlqOptions {
  redrive?: boolean;
  queue?: string;
  max?: string;
  stack: string;
  outputsFile?: string;
  profile?: string;
  region?: string;
  json?: boolean;
}

/**
 * A dead-letter queue of the stack and where its messages go back: the queue it serves
 * (SES events, moved back by SQS itself) or the function whose failed events it keeps
 * (replies, invoked again with each event).
 */
interface DeadLetterQueue {
  name: string;
  url: string;
  redrive: { queueArn: string } | { functionName: string } | undefined;
}

/** Each chosen queue looked at (up to `max` messages) or, with --redrive, its messages sent back. */
export async function inspectOrRedrive(options: DlqOptions, max: number) {
  const aws = awsClients(options);
  try {
    const queues = selectQueues(await stackOutputs(options, aws), options.queue);
    const results = [];
    for (const queue of queues) {
      results.push(options.redrive ? await redrive(queue, max, aws) : await inspect(queue, max, aws));
    }
    return results;
  } catch (error) {
    throw explainAwsError(error, options);
  } finally {
    aws.destroy();
  }
}

type AwsClients = ReturnType<typeof awsClients>;

function awsClients(options: DlqOptions) {
  const config = {
    ...(options.region ? { region: options.region } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    credentials: fromNodeProviderChain(options.profile ? { profile: options.profile } : {}),
    // An operator waiting on a terminal: fail fast and say why rather than retry for long.
    maxAttempts: 2,
  };
  const sqs = new SQSClient(config);
  const lambda = new LambdaClient(config);
  const cloudFormation = new CloudFormationClient(config);
  return {
    sqs,
    lambda,
    cloudFormation,
    destroy() {
      for (const client of [sqs, lambda, cloudFormation]) client.destroy();
    },
  };
}

async function stackOutputs(options: DlqOptions, aws: AwsClients): Promise<Record<string, string>> {
  if (options.outputsFile) {
    let all: Record<string, Record<string, string>>;
    try {
      all = JSON.parse(await readFile(options.outputsFile, 'utf8'));
    } catch (error) {
      throw new TandemError(
        'invalid_input',
        `Cannot read the outputs file ${options.outputsFile}: ${(error as Error).message}. Write it with \`npx cdk deploy --all --outputs-file ${options.outputsFile}\`.`,
      );
    }
    const outputs = all[options.stack];
    if (!outputs) {
      throw new TandemError(
        'invalid_input',
        `The outputs file ${options.outputsFile} has no stack ${options.stack} (it has: ${Object.keys(all).join(', ') || 'none'}). Pass --stack <name>.`,
      );
    }
    return outputs;
  }
  const { Stacks } = await aws.cloudFormation.send(new DescribeStacksCommand({ StackName: options.stack }));
  return Object.fromEntries(
    (Stacks?.[0]?.Outputs ?? []).flatMap((output) =>
      output.OutputKey && output.OutputValue ? [[output.OutputKey, output.OutputValue]] : [],
    ),
  );
}

/** Every `<Name>DeadLetterQueueUrl` output, with its `<Name>RedriveQueueArn` or `<Name>RedriveFunctionName`. */
function selectQueues(outputs: Record<string, string>, only: string | undefined): DeadLetterQueue[] {
  const queues = Object.entries(outputs)
    .filter(([key]) => key.endsWith(urlSuffix))
    .map(([key, url]): DeadLetterQueue => {
      const name = key.slice(0, -urlSuffix.length);
      const queueArn = outputs[`${name}RedriveQueueArn`];
      const functionName = outputs[`${name}RedriveFunctionName`];
      return {
        name,
        url,
        redrive: queueArn ? { queueArn } : functionName ? { functionName } : undefined,
      };
    });
  if (queues.length === 0) {
    throw new TandemError(
      'setup',
      'The stack outputs name no dead-letter queue: deploy the current version of Tandem first (npx cdk deploy --all).',
    );
  }
  if (only === undefined) return queues;
  const chosen = queues.filter((queue) => queue.name.toLowerCase() === only.toLowerCase());
  if (chosen.length === 0) {
    throw new TandemError(
      'invalid_input',
      `No dead-letter queue named ${only}. The stack has: ${queues.map((queue) => queue.name).join(', ')}.`,
    );
  }
  return chosen;
}

async function countOf(queue: DeadLetterQueue, aws: AwsClients) {
  const { Attributes } = await aws.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queue.url,
      AttributeNames: ['QueueArn', 'ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return {
    arn: Attributes?.QueueArn ?? '',
    waiting: Number(Attributes?.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0),
  };
}

/** The count and a look at up to `max` messages, left in the queue (visibility timeout 0). */
async function inspect(queue: DeadLetterQueue, max: number, aws: AwsClients) {
  const { waiting, inFlight } = await countOf(queue, aws);
  const seen = new Map<string, ReturnType<typeof describeMessage>>();
  for (let round = 0; seen.size < Math.min(max, waiting) && round < 10; round++) {
    const { Messages = [] } = await aws.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queue.url,
        MaxNumberOfMessages: Math.min(10, max - seen.size),
        VisibilityTimeout: 0,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['SentTimestamp', 'ApproximateReceiveCount'],
      }),
    );
    const before = seen.size;
    for (const message of Messages) {
      if (message.MessageId && seen.size < max) seen.set(message.MessageId, describeMessage(message));
    }
    if (seen.size === before) break;
  }
  const messages = [...seen.values()];
  const lines = [
    `${queue.name}: ${waiting} message${waiting === 1 ? '' : 's'} waiting${inFlight ? `, ${inFlight} being read` : ''}`,
    ...messages.map((m) => `  ${m.sentAt}  ${m.summary}${m.error ? `\n      failed with: ${m.error}` : ''}`),
  ];
  if (waiting > messages.length && messages.length > 0)
    lines.push(`  … and ${waiting - messages.length} more`);
  if (waiting > 0) lines.push(`  Once the cause is fixed: tandem dlq --redrive --queue ${queue.name}`);
  return { queue: queue.name, waiting, inFlight, messages, text: lines.join('\n') };
}

/** One line about a dead letter: what event it was, and why it failed (addresses masked). */
function describeMessage(message: Message) {
  const attribute = (name: string) => message.MessageAttributes?.[name]?.StringValue;
  const sent = Number(message.Attributes?.SentTimestamp);
  const error = attribute('ErrorMessage') ?? attribute('ERROR_MESSAGE') ?? attribute('ErrorCode');
  return {
    messageId: message.MessageId ?? '',
    sentAt: Number.isFinite(sent) ? new Date(sent).toISOString().slice(0, 16).replace('T', ' ') : '?',
    summary: maskEmails(summarize(message.Body ?? '')),
    ...(error ? { error: maskEmails(error) } : {}),
  };
}

function summarize(body: string): string {
  let event: Record<string, unknown>;
  try {
    event = JSON.parse(body);
  } catch {
    return body.slice(0, 120);
  }
  // An SES event from EventBridge (configuration set).
  const detail = event.detail as
    | { eventType?: string; mail?: { messageId?: string; tags?: Record<string, string[]> } }
    | undefined;
  if (detail?.eventType) {
    const tag = (name: string) => detail.mail?.tags?.[name]?.[0];
    const about = ['cohort', 'kind', 'round']
      .map((name) => tag(name) && `${name} ${tag(name)}`)
      .filter(Boolean);
    return `SES ${detail.eventType} event of message ${detail.mail?.messageId ?? '?'}${about.length ? ` (${about.join(', ')})` : ''}`;
  }
  // An SES receipt event (a reply the inbound function could not read).
  const records = event.Records as { ses?: { mail?: { messageId?: string; source?: string } } }[] | undefined;
  const mail = records?.[0]?.ses?.mail;
  if (mail) return `Reply ${mail.messageId ?? '?'} from ${mail.source ?? '?'}`;
  return body.slice(0, 120);
}

async function redrive(queue: DeadLetterQueue, max: number, aws: AwsClients) {
  if (!queue.redrive) {
    throw new TandemError(
      'setup',
      `The stack outputs do not say where ${queue.name} dead letters go back (${queue.name}RedriveQueueArn or ${queue.name}RedriveFunctionName). Deploy the current version of Tandem first.`,
    );
  }
  return 'queueArn' in queue.redrive
    ? moveBack(queue, queue.redrive.queueArn, aws)
    : invokeAgain(queue, queue.redrive.functionName, max, aws);
}

/** SQS moves the messages back to the queue they failed from, itself (a message move task). */
async function moveBack(queue: DeadLetterQueue, destinationArn: string, aws: AwsClients) {
  const { arn, waiting } = await countOf(queue, aws);
  if (waiting === 0) return { queue: queue.name, moved: 0, text: `${queue.name}: nothing to redrive.` };
  await aws.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: arn, DestinationArn: destinationArn }));
  // A move of a few hundred messages takes seconds: wait for it a little, then report.
  for (let attempt = 0; attempt < 30; attempt++) {
    const { Results = [] } = await aws.sqs.send(
      new ListMessageMoveTasksCommand({ SourceArn: arn, MaxResults: 1 }),
    );
    const task = Results[0];
    if (task && task.Status !== 'RUNNING') {
      const moved = task.ApproximateNumberOfMessagesMoved ?? 0;
      const failed =
        task.Status === 'FAILED' ? ` The move failed: ${task.FailureReason ?? 'no reason given'}.` : '';
      return {
        queue: queue.name,
        moved,
        status: task.Status,
        text: `${queue.name}: moved ${moved} message${moved === 1 ? '' : 's'} back to ${destinationArn.split(':').at(-1)}.${failed}`,
      };
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return {
    queue: queue.name,
    moved: undefined,
    status: 'RUNNING',
    text: `${queue.name}: moving ${waiting} messages back; still running. Check again with \`tandem dlq --queue ${queue.name}\`.`,
  };
}

/**
 * Each failed event goes back to the function, asynchronously as SES first sent it, then
 * leaves the queue: deleted only once Lambda accepted it, so a failure loses nothing.
 */
async function invokeAgain(queue: DeadLetterQueue, functionName: string, max: number, aws: AwsClients) {
  let sent = 0;
  while (sent < max) {
    const { Messages = [] } = await aws.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queue.url,
        MaxNumberOfMessages: Math.min(10, max - sent),
        // Long enough to hand each message over, short enough to retry soon after a crash.
        VisibilityTimeout: 60,
      }),
    );
    if (Messages.length === 0) break;
    for (const [index, message] of Messages.entries()) {
      try {
        await aws.lambda.send(
          new InvokeCommand({
            FunctionName: functionName,
            InvocationType: 'Event',
            Payload: new TextEncoder().encode(message.Body ?? '{}'),
          }),
        );
      } catch (error) {
        // What was not handed over is visible again at once, for the next attempt.
        await Promise.allSettled(
          Messages.slice(index).map((left) =>
            aws.sqs.send(
              new ChangeMessageVisibilityCommand({
                QueueUrl: queue.url,
                ReceiptHandle: left.ReceiptHandle,
                VisibilityTimeout: 0,
              }),
            ),
          ),
        );
        throw error;
      }
      await aws.sqs.send(
        new DeleteMessageCommand({ QueueUrl: queue.url, ReceiptHandle: message.ReceiptHandle }),
      );
      sent++;
    }
  }
  const more = sent === max ? ` Run it again for the rest (--max ${max}).` : '';
  return {
    queue: queue.name,
    redriven: sent,
    text: `${queue.name}: sent ${sent} event${sent === 1 ? '' : 's'} back to the function ${functionName}.${more}`,
  };
}

/** AWS failures an operator can fix, in plain words; anything else stays as it is. */
function explainAwsError(error: unknown, options: DlqOptions): unknown {
  if (error instanceof TandemError || !(error instanceof Error)) return error;
  const { name, message } = error;
  const profile = options.profile ? `the profile ${options.profile}` : 'your AWS credentials';
  if (name === 'CredentialsProviderError' || /credential/i.test(message)) {
    return new TandemError(
      'setup',
      `Cannot reach AWS: no credentials found (${message}). Sign in (aws sso login, or aws configure) and pass --profile <name> if it is not the default.`,
    );
  }
  if (/region is missing|region not accepted/i.test(message)) {
    return new TandemError(
      'setup',
      'Cannot reach AWS: no region given. Pass --region <region>, the region you deployed to.',
    );
  }
  if (name === 'ValidationError' && /does not exist/.test(message)) {
    return new TandemError(
      'setup',
      `No stack ${options.stack} in this account and region. Check --region and --profile, or pass --stack <name>.`,
    );
  }
  if (
    /AccessDenied|not authorized|UnrecognizedClient|InvalidClientTokenId|ExpiredToken/i.test(
      `${name} ${message}`,
    )
  ) {
    return new TandemError('setup', `AWS refused the request with ${profile}: ${message}`);
  }
  const code = (error as { code?: string }).code ?? name;
  if (
    /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|TimeoutError|NetworkingError/.test(
      `${code} ${message}`,
    )
  ) {
    return new TandemError(
      'setup',
      `Cannot reach AWS (${code}): check your network connection, and --region.`,
    );
  }
  return error;
}
