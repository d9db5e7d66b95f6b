import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  Choice,
  Condition,
  DefinitionBody,
  Fail,
  type IChainable,
  IntegrationPattern,
  JsonPath,
  LogLevel,
  Map as MapState,
  Pass,
  Result,
  type State,
  StateMachine,
  StateMachineType,
  Succeed,
  TaskInput,
  Timeout,
  Wait,
  WaitTime,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke, StepFunctionsStartExecution } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import type { FunctionNeeds } from '../../functions/function-needs.ts';
import { ladderRungs } from '../../shared/cohorts/pair.ts';
import type { WaveKind } from '../../shared/use-cases/waves.ts';
import { type GrantTargets, grantNeeds } from '../constructs/grant-needs.ts';
import { TandemFunction } from '../constructs/tandem-function.ts';
import { logicalIdOf } from '../logical-ids.ts';
import { acknowledgeStateMachine, nagArnPrefix } from '../nag-acknowledgements.ts';

export interface CohortWorkflowProps {
  /** The table, its key and email sending, for the steps' grants (the state machine is this one). */
  grants: Omit<GrantTargets, 'cohortStateMachine'>;
  environment: Record<string, string>;
  /** How long the organizers have to approve the match draft before a reminder, then an alert. */
  approvalRemindAfter: Duration;
  approvalEscalateAfter: Duration;
}

/** Batches of one wave sent at once: with 200 participants a batch, well under SES's rate. */
const waveConcurrency = 4;

/**
 * The step handlers and what each one's function needs (see FunctionNeeds; a step not listed
 * may only read the table). Steps that mail participants a message that expects a reply
 * batch-write the new reply keys.
 */
export const workflowStepNeeds: Readonly<Record<string, FunctionNeeds>> = {
  'plan-intake': {},
  'send-pending-confirmations': { table: 'write', batchWrites: true, sendsEmail: true },
  'close-intake': { table: 'write' },
  'compute-match-draft': { table: 'write' },
  // Stores the task token; completes the task itself when the draft was approved already.
  'request-approval': { table: 'write', sendsEmail: true, completesTasks: true },
  'start-pairs': { table: 'write' },
  'plan-wave': {},
  'send-wave-batch': { table: 'write', batchWrites: true, sendsEmail: true },
  'plan-next-step': {},
  'start-round': {},
  'plan-round-close': {},
  // One rung of the engagement ladder: records the pairs' ladder, mails the partner asked or the
  // silent side (new reply keys), closes pairs (the rematch queue).
  'climb-ladder': { table: 'write', batchWrites: true, sendsEmail: true },
  'close-round': { table: 'write', sendsEmail: true },
  // Ends the cohort's reply keys: their items are written again with an expiry, in batches.
  'close-cohort': { table: 'write', batchWrites: true },
  // The report to the organizers (no reply key: their emails expect none).
  'report-cohort': { table: 'write', sendsEmail: true },
  'plan-purge': {},
  // Keeps the archive, deletes the personal items (BatchWriteItem deletes), empties the review's settings.
  'purge-cohort': { table: 'write', batchWrites: true },
  'notify-failure': { table: 'write', sendsEmail: true },
};

/**
 * The cohort workflow: a Standard state machine per cohort execution that runs intake →
 * matching → the organizer's approval → introductions → rounds → close-out, and a round state
 * machine that one child execution per round runs, so that a year of rounds never crowds the
 * cohort execution's history. Built from one small factory per phase; every Task retries with
 * backoff and catches into a notification to the organizers. Everything in it also runs on
 * the local interpreter: Task, Wait, Choice, Pass, inline Map — no Distributed Map, no
 * heartbeat, no JSONata.
 */
export class CohortWorkflow extends Construct {
  readonly cohortStateMachine: StateMachine;
  readonly roundStateMachine: StateMachine;
  /** The function of each step handler file, e.g. `workflow/plan-wave.ts`. */
  readonly stepFunctions = new Map<string, TandemFunction>();
  readonly #props: CohortWorkflowProps;

  constructor(scope: Construct, id: string, props: CohortWorkflowProps) {
    super(scope, id);
    this.#props = props;
    this.roundStateMachine = this.#stateMachine('RoundStateMachine', this.#roundDefinition());
    this.cohortStateMachine = this.#stateMachine('CohortStateMachine', this.#cohortDefinition());
    for (const machine of [this.roundStateMachine, this.cohortStateMachine]) {
      acknowledgeStateMachine(machine, this.stepFunctions.values());
    }
    for (const [file, fn] of this.stepFunctions) {
      const handler = file.replace(/^workflow\/|\.ts$/g, '');
      grantNeeds(
        fn,
        workflowStepNeeds[handler] ?? {},
        { ...props.grants, cohortStateMachine: this.cohortStateMachine },
        `workflow step ${handler}`,
      );
    }
    // Running a round with .sync lets the cohort state machine stop and describe its round executions.
    const policy = this.cohortStateMachine.role.node.tryFindChild('DefaultPolicy');
    if (policy) {
      const roundName = `{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${logicalIdOf(this.roundStateMachine)}"}]}]}`;
      Validations.of(policy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${nagArnPrefix(this, 'states')}execution:${roundName}*]`,
        reason: 'The executions of the round state machine only, as CDK grants a .sync StartExecution.',
      });
    }
  }

  #stateMachine(id: string, definition: IChainable): StateMachine {
    return new StateMachine(this, id, {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(definition),
      tracingEnabled: true,
      logs: {
        destination: new LogGroup(this, `${id}Logs`, {
          retention: RetentionDays.SIX_MONTHS,
          removalPolicy: RemovalPolicy.DESTROY,
        }),
        // Every transition, but without execution data: states' inputs carry participants'
        // emails and the approval task token, which would let anyone who reads the logs answer
        // for the organizers.
        level: LogLevel.ALL,
        includeExecutionData: false,
      },
    });
  }

  // ── The cohort, end to end ────────────────────────────────────────────────────────────

  #cohortDefinition(): IChainable {
    const failed = this.#failureHandling('Cohort');
    const retention = this.#retention(failed, new Succeed(this, 'CohortClosed'));
    const closeOut = this.#closeOut(failed, retention);
    const rounds = this.#roundLoop(failed, closeOut);
    const introductions = this.#wave('Introductions', 'introductions', failed, rounds);
    const pairs = this.#step('StartPairs', 'start-pairs', failed).next(introductions);
    const approval = this.#approval(failed, pairs);
    const matching = this.#step('ComputeMatchDraft', 'compute-match-draft', failed).next(
      new Choice(this, 'Approved?')
        .when(Condition.booleanEquals('$.approved', true), pairs)
        .otherwise(approval),
    );
    return this.#intake(failed, matching, retention);
  }

  /**
   * Wait for intake to close, asking new applicants to confirm once a day meanwhile. A fresh
   * execution of a closed cohort (a restart) goes straight to its retention steps.
   */
  #intake(failed: State, then: IChainable, closed: State): IChainable {
    const plan = this.#step('PlanIntake', 'plan-intake', failed);
    const sweep = this.#step('SendPendingConfirmations', 'send-pending-confirmations', failed);
    const close = this.#step('CloseIntake', 'close-intake', failed);
    plan.next(
      new Choice(this, 'IntakeOpen?')
        .when(Condition.booleanEquals('$.closed', true), closed)
        .when(
          Condition.booleanEquals('$.intakeOpen', true),
          this.#wait('WaitDuringIntake').next(sweep.next(plan)),
        )
        .otherwise(close.next(then)),
    );
    return plan;
  }

  /**
   * The organizers approve the match draft with `tandem approve` (task token). Unanswered,
   * they are reminded, then everyone is alerted; the workflow never moves on without them.
   */
  #approval(failed: State, then: IChainable): IChainable {
    const { approvalRemindAfter, approvalEscalateAfter } = this.#props;
    const escalated = this.#awaitApproval('AwaitApprovalAfterEscalation', 2, undefined, failed);
    const reminded = this.#awaitApproval(
      'AwaitApprovalAfterReminder',
      1,
      approvalEscalateAfter,
      failed,
      escalated,
    );
    const first = this.#awaitApproval('AwaitApproval', 0, approvalRemindAfter, failed, reminded);
    for (const task of [first, reminded, escalated]) task.next(then);
    return first;
  }

  #awaitApproval(
    name: string,
    attempt: number,
    timeout: Duration | undefined,
    failed: State,
    onTimeout?: State,
  ) {
    const task = new LambdaInvoke(this, name, {
      lambdaFunction: this.#function('request-approval'),
      integrationPattern: IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: TaskInput.fromObject({
        state: JsonPath.objectAt('$'),
        taskToken: JsonPath.taskToken,
        attempt,
      }),
      resultPath: '$.approval',
      retryOnServiceExceptions: false,
      ...(timeout ? { taskTimeout: Timeout.duration(timeout) } : {}),
    });
    // Waiting is this task's job: only Lambda's own faults are retried, never a timeout.
    this.#retry(task, false);
    if (onTimeout) task.addCatch(onTimeout, { errors: ['States.Timeout'], resultPath: '$.approvalTimedOut' });
    task.addCatch(this.#failed(name, failed), { resultPath: '$.error' });
    return task;
  }

  /** Rounds until the calendar says close-out; a child execution runs each round. */
  #roundLoop(failed: State, closeOut: IChainable): IChainable {
    const plan = this.#step('PlanNextStep', 'plan-next-step', failed);
    const runRound = new StepFunctionsStartExecution(this, 'RunRound', {
      stateMachine: this.roundStateMachine,
      integrationPattern: IntegrationPattern.RUN_JOB,
      associateWithParent: true,
      // One child per round and execution: a restarted cohort execution reruns a round afresh.
      name: JsonPath.format('{}-r{}', JsonPath.executionName, JsonPath.stringAt('$.next.round')),
      input: TaskInput.fromObject({
        cohortId: JsonPath.stringAt('$.cohortId'),
        round: JsonPath.numberAt('$.next.round'),
      }),
      resultPath: JsonPath.DISCARD,
    });
    this.#retry(runRound, false);
    // The round execution has told the organizers already; this one stops without a second alert.
    runRound.addCatch(
      new Fail(this, 'RoundExecutionFailed', { error: 'RoundFailed', cause: 'A round execution failed' }),
    );
    plan.next(
      new Choice(this, 'NextStep?')
        .when(Condition.stringEquals('$.next.action', 'round'), runRound.next(plan))
        .when(Condition.stringEquals('$.next.action', 'wait'), this.#wait('WaitForNextStep').next(plan))
        .otherwise(closeOut),
    );
    return plan;
  }

  /** On the last day: the thank-you in everyone's morning, then the cohort is closed. */
  #closeOut(failed: State, then: State): IChainable {
    const close = this.#step('CloseCohort', 'close-cohort', failed).next(then);
    return this.#wave('ThankYou', 'thank-you', failed, close);
  }

  /**
   * The report to the organizers, then a wait until the cohort's retention period ends
   * (`retentionDays` after its last day), then the purge of its personal data.
   */
  #retention(failed: State, done: State): State {
    const report = this.#step('ReportCohort', 'report-cohort', failed);
    report
      .next(this.#step('PlanPurge', 'plan-purge', failed))
      .next(this.#wait('WaitForPurge'))
      .next(this.#step('PurgeCohort', 'purge-cohort', failed))
      .next(done);
    return report;
  }

  // ── One round ─────────────────────────────────────────────────────────────────────────

  #roundDefinition(): IChainable {
    const failed = this.#failureHandling('Round');
    const done = new Succeed(this, 'RoundDone');
    const closeRound = this.#step('CloseRound', 'close-round', failed).next(done);
    // The engagement ladder, one step per rung, after the round closes and before the digest
    // that lists the pairs at risk.
    const ladder = ladderRungs.reduceRight<IChainable>(
      (then, rung) =>
        this.#step(`Ladder${rung.charAt(0).toUpperCase()}${rung.slice(1)}`, 'climb-ladder', failed, {
          rung,
        }).next(then),
      closeRound,
    );
    const close = this.#step('PlanRoundClose', 'plan-round-close', failed)
      .next(this.#wait('WaitForRoundClose'))
      .next(ladder);
    const nudges = this.#wave('Nudges', 'nudge', failed, close);
    const checkIns = this.#wave('CheckIns', 'check-in', failed, nudges);
    return this.#step('StartRound', 'start-round', failed).next(
      new Choice(this, 'RoundScheduled?')
        .when(Condition.booleanEquals('$.skip', true), done)
        .otherwise(checkIns),
    );
  }

  // ── Building blocks ───────────────────────────────────────────────────────────────────

  /**
   * A wave: plan who is due now → send them in batches (inline Map, capped concurrency) →
   * wait for the next morning somewhere → plan again, until everyone has had theirs.
   */
  #wave(name: string, kind: WaveKind, failed: State, then: IChainable): State {
    const plan = this.#step(`Plan${name}`, 'plan-wave', failed, { kind });
    const batch = new LambdaInvoke(this, `Send${name}Batch`, {
      lambdaFunction: this.#function('send-wave-batch'),
      payloadResponseOnly: true,
      retryOnServiceExceptions: false,
    });
    // Before the general retries, which would match these first. Messages another worker holds
    // (or that SES has not reported on yet) are settled within the ledger's 15-minute lease:
    // look again after it.
    batch.addRetry({
      errors: ['MessagesInFlight'],
      interval: Duration.minutes(5),
      maxAttempts: 4,
      backoffRate: 1.5,
    });
    // SES holds mail back (daily quota, sending paused): try for a day and more, then alert.
    batch.addRetry({
      errors: ['SendingDeferred'],
      interval: Duration.minutes(30),
      maxAttempts: 6,
      backoffRate: 2,
    });
    this.#retry(batch);
    const send = new MapState(this, `Send${name}`, {
      itemsPath: '$.wave.batches',
      maxConcurrency: waveConcurrency,
      resultPath: JsonPath.DISCARD,
    });
    send.itemProcessor(batch);
    send.addCatch(this.#failed(`Send${name}`, failed), { resultPath: '$.error' });
    const more = new Choice(this, `More${name}?`)
      .when(Condition.isPresent('$.wakeAt'), this.#wait(`WaitFor${name}`).next(plan))
      .otherwise(then);
    plan.next(
      new Choice(this, `${name}Due?`)
        .when(Condition.numberGreaterThan('$.wave.batchCount', 0), send.next(more))
        .otherwise(more),
    );
    return plan;
  }

  /** A step: its handler gets `{ state, …parameters }` and returns the new state. */
  #step(
    name: string,
    handler: string,
    failed: State,
    parameters: Record<string, unknown> = {},
  ): LambdaInvoke {
    const task = new LambdaInvoke(this, name, {
      lambdaFunction: this.#function(handler),
      payloadResponseOnly: true,
      retryOnServiceExceptions: false,
      payload: TaskInput.fromObject({ state: JsonPath.objectAt('$'), ...parameters }),
    });
    this.#retry(task);
    task.addCatch(this.#failed(name, failed), { resultPath: '$.error' });
    return task;
  }

  /**
   * Lambda's own faults are always retried; a step's error is retried too (every step is
   * idempotent), except where a retry cannot help: a round execution is started once by name.
   */
  #retry(task: LambdaInvoke | StepFunctionsStartExecution, stepErrors = true): void {
    task.addRetry({
      errors: [
        'Lambda.ServiceException',
        'Lambda.AWSLambdaException',
        'Lambda.SdkClientException',
        'Lambda.TooManyRequestsException',
      ],
      interval: Duration.seconds(2),
      maxAttempts: 6,
      backoffRate: 2,
    });
    if (!stepErrors) return;
    task.addRetry({
      errors: ['States.TaskFailed'],
      interval: Duration.seconds(10),
      maxAttempts: 3,
      backoffRate: 3,
    });
  }

  #wait(name: string): Wait {
    return new Wait(this, name, { time: WaitTime.timestampPath('$.wakeAt') });
  }

  /** Notes which step failed, then joins the state machine's failure handling. */
  #failed(step: string, failed: State): State {
    const note = new Pass(this, `${step}Failed`, {
      result: Result.fromString(step),
      resultPath: '$.failedStep',
    });
    note.next(failed);
    return note;
  }

  /** Tell the organizers, then fail: the table keeps everything, `tandem restart` carries on. */
  #failureHandling(prefix: string): State {
    const notify = new LambdaInvoke(this, `${prefix}NotifyFailure`, {
      lambdaFunction: this.#function('notify-failure'),
      payloadResponseOnly: true,
      payload: TaskInput.fromObject({ state: JsonPath.objectAt('$'), execution: JsonPath.executionName }),
      resultPath: JsonPath.DISCARD,
    });
    notify.addRetry({
      errors: ['States.ALL'],
      interval: Duration.seconds(10),
      maxAttempts: 5,
      backoffRate: 2,
    });
    const fail = new Fail(this, `${prefix}Failed`, {
      errorPath: '$.error.Error',
      causePath: '$.error.Cause',
    });
    notify.addCatch(fail);
    notify.next(fail);
    return notify;
  }

  #function(handler: string): TandemFunction {
    const file = `workflow/${handler}.ts`;
    let fn = this.stepFunctions.get(file);
    if (!fn) {
      fn = new TandemFunction(
        this,
        `${handler.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase())}Function`,
        {
          handlerFile: file,
          description: `Cohort workflow step: ${handler}`,
          timeout: Duration.minutes(5),
          environment: this.#props.environment,
        },
      );
      this.stepFunctions.set(file, fn);
    }
    return fn;
  }
}
