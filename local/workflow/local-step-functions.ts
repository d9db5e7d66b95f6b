import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import {
  type StateMachineDefinition as AslInput,
  ExecutionAbortedError,
  StateMachine,
} from 'aws-local-stepfunctions';
import type { VirtualClock } from '../virtual-clock.ts';
import type {
  AslDefinition,
  AslState,
  StateMachineDefinition,
  WorkflowDefinitions,
} from './workflow-definitions.ts';

type Handler = (event: unknown, context: Context) => Promise<unknown>;
type JsonInput = Parameters<StateMachine['run']>[0];
type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';

interface Execution {
  arn: string;
  name: string;
  status: ExecutionStatus;
  startDate: Date;
  result: Promise<unknown>;
  abort(): void;
  error?: string;
  output?: unknown;
}

/** An error a waiting task or a child execution ends with, named as Step Functions names it. */
class StatesError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/**
 * What happens outside the workflow while it waits (simulated people answering email): the
 * runner lets it act, in time order, as virtual time passes.
 */
export interface SimulatedWorld {
  /** When the world next has something to do, if anything. */
  nextEventAt(): number | undefined;
  /** Does everything due up to `time`. */
  runUntil(time: number): Promise<void>;
}

/**
 * Runs the synthesized cohort workflow on aws-local-stepfunctions, in this process:
 * - Lambda tasks call the same handler files the deployed functions run;
 * - `waitForTaskToken` tasks call their handler, then wait for SendTaskSuccess (from the
 *   approval use case, through the SFN API emulated here) or their timeout;
 * - `startExecution.sync` tasks run the child state machine's definition;
 * - with a virtual clock, a Wait state ends at once and the task after it first moves time to
 *   the Wait's end, letting the simulated world act in between (discrete-event time): weeks
 *   pass in a moment, and nothing scheduled inside them is skipped or reordered.
 * It also answers the Step Functions API calls Tandem makes (StartExecution, StopExecution,
 * SendTaskSuccess, SendTaskFailure, DescribeExecution) on a local port, for the SFN client.
 */
export class LocalStepFunctions {
  readonly #definitions: WorkflowDefinitions;
  readonly #clock: VirtualClock | undefined;
  readonly #executions = new Map<string, Execution>();
  readonly #waitingTasks = new Map<string, { resolve(output: unknown): void; reject(error: Error): void }>();
  readonly #handlers = new Map<string, Promise<Handler>>();
  readonly #interpreters = new Map<string, StateMachine>();
  readonly #onStateEntered: ((execution: string, state: string) => void) | undefined;
  readonly #world: SimulatedWorld | undefined;

  constructor(
    definitions: WorkflowDefinitions,
    options: {
      clock?: VirtualClock;
      world?: SimulatedWorld;
      onStateEntered?: (execution: string, state: string) => void;
    } = {},
  ) {
    this.#definitions = definitions;
    this.#clock = options.clock;
    this.#world = options.world;
    this.#onStateEntered = options.onStateEntered;
  }

  /**
   * Moves virtual time to `target`, letting the world act at each of its events on the way, as
   * the clock allows (its pace, or time flowing); stops early once `signal` aborts.
   */
  async #advance(target: number, signal: AbortSignal): Promise<void> {
    const clock = this.#clock;
    if (!clock) return;
    // First what is due already (the world may just have been sent email), then event by event.
    await this.#world?.runUntil(clock.now());
    while (!signal.aborted) {
      const next = this.#world?.nextEventAt();
      const until = next !== undefined && next < target ? Math.max(next, clock.now()) : target;
      await clock.reach(until, signal);
      if (signal.aborted) return;
      await this.#world?.runUntil(until);
      if (until >= target) return;
    }
  }

  start(stateMachineArn: string, name: string, input: unknown): Execution {
    const machine = this.#machine(stateMachineArn);
    const arn = `${machine.arn.replace(':stateMachine:', ':execution:')}:${name}`;
    if (this.#executions.has(arn))
      throw new StatesError('ExecutionAlreadyExists', `Execution ${name} already exists`);
    const controller = new AbortController();
    const run = this.#run(machine, name, input, controller.signal);
    const execution: Execution = {
      arn,
      name,
      status: 'RUNNING',
      startDate: new Date(),
      result: run.result,
      abort: () => {
        controller.abort();
        run.abort();
      },
    };
    run.result.then(
      (output) => Object.assign(execution, { status: 'SUCCEEDED', output }),
      (error: Error) =>
        Object.assign(execution, {
          status: error instanceof ExecutionAbortedError || controller.signal.aborted ? 'ABORTED' : 'FAILED',
          error: error.message,
        }),
    );
    this.#executions.set(arn, execution);
    return execution;
  }

  stop(executionArn: string): void {
    const execution = this.#executions.get(executionArn);
    if (!execution)
      throw new StatesError('ExecutionDoesNotExist', `Execution ${executionArn} does not exist`);
    if (execution.status === 'RUNNING') execution.abort();
  }

  sendTaskSuccess(token: string, output: unknown): void {
    const task = this.#waitingTasks.get(token);
    if (!task) throw new StatesError('TaskDoesNotExist', 'No task waits for this token');
    this.#waitingTasks.delete(token);
    task.resolve(output);
  }

  sendTaskFailure(token: string, error: string, cause: string): void {
    const task = this.#waitingTasks.get(token);
    if (!task) throw new StatesError('TaskDoesNotExist', 'No task waits for this token');
    this.#waitingTasks.delete(token);
    task.reject(new StatesError(error, cause));
  }

  readonly #faults = new Map<string, { remaining: number; error: Error }>();

  /**
   * Makes the next `times` runs of a state fail with `error` before its handler runs: how tests
   * (and demos) show retries, failure alerts and restarts on the real definition.
   */
  injectFault(stateName: string, error: Error, times = 1): void {
    this.#faults.set(stateName, { remaining: times, error });
  }

  clearFaults(): void {
    this.#faults.clear();
  }

  /** Stops every running execution (the local stack is shutting down). */
  async stopAll(): Promise<void> {
    const running = [...this.#executions.values()].filter((execution) => execution.status === 'RUNNING');
    for (const execution of running) execution.abort();
    await Promise.allSettled(running.map((execution) => execution.result));
  }

  describe(executionArn: string): Execution | undefined {
    return this.#executions.get(executionArn);
  }

  /** Every execution started so far, oldest first. */
  executions(): Execution[] {
    return [...this.#executions.values()];
  }

  #machine(arn: string): StateMachineDefinition {
    const machine = [this.#definitions.cohort, this.#definitions.round].find((m) => m.arn === arn);
    if (!machine) throw new StatesError('StateMachineDoesNotExist', `No state machine ${arn}`);
    return machine;
  }

  /** One interpreter per definition, validated once: every execution brings its own overrides. */
  #interpreter(machine: StateMachineDefinition): StateMachine {
    let interpreter = this.#interpreters.get(machine.arn);
    if (!interpreter) {
      // Our definition type names only the fields this runner reads; the interpreter takes ASL.
      interpreter = new StateMachine(machine.definition as unknown as AslInput, {
        validationOptions: { checkArn: false },
      });
      this.#interpreters.set(machine.arn, interpreter);
    }
    return interpreter;
  }

  #run(machine: StateMachineDefinition, name: string, input: unknown, signal: AbortSignal) {
    const { definition } = machine;
    const topLevel = new Set(Object.keys(definition.States));
    const states = allStates(definition);
    // The input of a Wait state is the output of the last top-level task before it: every task
    // returns the whole state (or leaves it unchanged), so that is where `wakeAt` is read from.
    let lastOutput: unknown = input;
    const record = (stateName: string, state: AslState, stateInput: unknown, result: unknown) => {
      if (!topLevel.has(stateName) || state.ResultPath === null) return;
      lastOutput = state.ResultPath?.startsWith('$.')
        ? { ...(stateInput as object), [state.ResultPath.slice(2)]: result }
        : result;
    };

    // A Wait ends at once; the next top-level task first moves time to where the Wait ended.
    let wakeAt: number | undefined;
    const handlers: Record<string, (taskInput: JsonInput) => Promise<JsonInput>> = {};
    for (const [stateName, state] of states) {
      if (state.Type !== 'Task') continue;
      const invoke = this.#taskInvoker(stateName, state, name, signal);
      handlers[stateName] = async (taskInput) => {
        if (wakeAt !== undefined && topLevel.has(stateName)) {
          const target = wakeAt;
          wakeAt = undefined;
          await this.#advance(target, signal);
        }
        // A stopped execution runs no more steps (its world events belong to the next one).
        if (signal.aborted) throw new StatesError('States.Aborted', 'The execution was stopped');
        this.#onStateEntered?.(name, stateName);
        const fault = this.#faults.get(stateName);
        if (fault && fault.remaining > 0) {
          fault.remaining--;
          throw fault.error;
        }
        const stateInput = lastOutput;
        const result = (await invoke(taskInput)) as JsonInput;
        record(stateName, state, stateInput, result);
        return result;
      };
    }

    const clock = this.#clock;
    const overrides = clock
      ? {
          taskResourceLocalHandlers: handlers,
          waitTimeOverrides: lazyRecord((stateName) => {
            const state = states.get(stateName);
            if (state?.Type !== 'Wait') return undefined;
            wakeAt = waitTarget(state, lastOutput, clock.now());
            return 0;
          }),
          // A retry waits its interval in virtual time (no world events fall inside it: it is short);
          // a flowing clock's time is everyone's, so it is never moved for one retry.
          retryIntervalOverrides: lazyRecord((stateName) => {
            const retries = states.get(stateName)?.Retry;
            if (!retries) return undefined;
            return retries.map((retrier) => {
              const target = clock.now() + (retrier.IntervalSeconds ?? 1) * 1000;
              const realMs = clock.realMsUntil(target);
              if (!clock.flowing) clock.jumpTo(target);
              return realMs;
            });
          }),
        }
      : { taskResourceLocalHandlers: handlers };

    const execution = this.#interpreter(machine).run(input as JsonInput, {
      overrides,
      context: {
        Execution: {
          Id: `${machine.arn}:${name}`,
          Name: name,
          Input: input as JsonInput,
          StartTime: new Date().toISOString(),
        },
        StateMachine: { Id: machine.arn, Name: machine.logicalId },
        Task: { Token: `${name}/${randomUUID()}` },
      },
    });
    if (this.#onStateEntered) this.#follow(name, execution.eventLogs, new Set(Object.keys(handlers)));
    return execution;
  }

  /**
   * Reports the states an execution enters. Tasks report themselves when they run: the
   * interpreter enters a task right after a Wait, before the task has moved time to its end.
   */
  async #follow(
    execution: string,
    events: AsyncGenerator<{ type: string; state?: { name: string } }>,
    tasks: Set<string>,
  ) {
    for await (const event of events) {
      if (event.type === 'StateEntered' && event.state && !tasks.has(event.state.name))
        this.#onStateEntered?.(execution, event.state.name);
    }
  }

  #taskInvoker(stateName: string, state: AslState, execution: string, signal: AbortSignal) {
    const resource = state.Resource ?? '';
    if (resource.startsWith('arn:aws:lambda:')) {
      return (taskInput: unknown) => this.#invoke(resource, taskInput, stateName);
    }
    if (resource === 'arn:aws:states:::lambda:invoke.waitForTaskToken') {
      return async (taskInput: unknown) => {
        const { FunctionName, Payload } = taskInput as {
          FunctionName: string;
          Payload: { taskToken: string };
        };
        const { waiting, startClock } = this.#awaitTask(Payload.taskToken, state.TimeoutSeconds, signal);
        await this.#invoke(FunctionName, Payload, stateName);
        startClock();
        return waiting;
      };
    }
    if (resource.startsWith('arn:aws:states:::states:startExecution.sync')) {
      return async (taskInput: unknown) => {
        const { StateMachineArn, Input, Name } = taskInput as {
          StateMachineArn: string;
          Input: unknown;
          Name?: string;
        };
        const child = this.start(StateMachineArn, Name ?? `${execution}-${randomUUID()}`, Input);
        const stopChild = () => child.abort();
        signal.addEventListener('abort', stopChild, { once: true });
        try {
          return { Output: await child.result, Status: 'SUCCEEDED' };
        } catch (error) {
          throw new StatesError(
            'States.TaskFailed',
            `Child execution ${child.name} failed: ${(error as Error).message}`,
          );
        } finally {
          signal.removeEventListener('abort', stopChild);
        }
      };
    }
    throw new Error(`The local runner cannot run task ${stateName} (${resource})`);
  }

  /**
   * Waits for SendTaskSuccess/Failure on `token`, or fails with States.Timeout after
   * `timeoutSeconds`. Listening starts at once (the handler may answer its own token); the
   * clock starts when `startClock()` is called, once the handler has run.
   */
  #awaitTask(token: string, timeoutSeconds: number | undefined, signal: AbortSignal) {
    const timer = new AbortController();
    let timedOut = () => {};
    const waiting = new Promise((resolve, reject) => {
      const settle = () => {
        timer.abort();
        signal.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        this.#waitingTasks.delete(token);
        settle();
        reject(new StatesError('States.Aborted', 'The execution was stopped'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waitingTasks.set(token, {
        resolve: (output) => {
          settle();
          resolve(output);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
      });
      timedOut = () => {
        if (!this.#waitingTasks.has(token) || timer.signal.aborted) return;
        this.#waitingTasks.delete(token);
        settle();
        reject(new StatesError('States.Timeout', `No answer within ${timeoutSeconds} seconds`));
      };
    });
    // A stopped execution no longer awaits this: its rejection must not go unhandled.
    waiting.catch(() => {});
    const startClock = () => {
      if (timeoutSeconds === undefined || timer.signal.aborted) return;
      if (this.#clock) {
        // Virtual time passes (and the simulated organizers act) until an answer or the timeout.
        this.#advance(
          this.#clock.now() + timeoutSeconds * 1000,
          AbortSignal.any([timer.signal, signal]),
        ).then(timedOut);
      } else {
        setTimeout(timedOut, timeoutSeconds * 1000);
      }
    };
    return { waiting, startClock };
  }

  async #invoke(functionArn: string, event: unknown, stateName: string): Promise<unknown> {
    const file = this.#definitions.handlers.get(functionArn);
    if (!file) throw new Error(`No handler for ${functionArn} (state ${stateName})`);
    let handler = this.#handlers.get(file);
    if (!handler) {
      handler = import(pathToFileURL(file).href).then((module: { handler: Handler }) => module.handler);
      this.#handlers.set(file, handler);
    }
    return (await handler)(event, lambdaContext(stateName));
  }

  /** Serves the Step Functions API calls Tandem's SFN client makes, on a free local port. */
  async serve(): Promise<{ url: string; stop(): Promise<void> }> {
    const server: Server = createServer(async (request, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const operation = String(request.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      const send = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
        response.end(JSON.stringify(body));
      };
      try {
        send(200, this.#answer(operation, JSON.parse(Buffer.concat(chunks).toString() || '{}')));
      } catch (error) {
        const name = error instanceof StatesError ? error.name : 'InvalidParameterValue';
        send(400, { __type: name, message: (error as Error).message });
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    return {
      url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
      stop: () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    };
  }

  #answer(operation: string, body: Record<string, string>): unknown {
    switch (operation) {
      case 'StartExecution': {
        const execution = this.start(
          body.stateMachineArn ?? '',
          body.name ?? randomUUID(),
          JSON.parse(body.input ?? '{}'),
        );
        return { executionArn: execution.arn, startDate: execution.startDate.getTime() / 1000 };
      }
      case 'StopExecution':
        this.stop(body.executionArn ?? '');
        return { stopDate: Date.now() / 1000 };
      case 'SendTaskSuccess':
        this.sendTaskSuccess(body.taskToken ?? '', JSON.parse(body.output ?? 'null'));
        return {};
      case 'SendTaskFailure':
        this.sendTaskFailure(body.taskToken ?? '', body.error ?? 'Error', body.cause ?? '');
        return {};
      case 'DescribeExecution': {
        const execution = this.describe(body.executionArn ?? '');
        if (!execution)
          throw new StatesError('ExecutionDoesNotExist', `Execution ${body.executionArn} does not exist`);
        return {
          executionArn: execution.arn,
          name: execution.name,
          status: execution.status,
          startDate: execution.startDate.getTime() / 1000,
        };
      }
      default:
        throw new StatesError(
          'UnknownOperationException',
          `The local Step Functions do not offer ${operation}`,
        );
    }
  }
}

/** Every state of a definition, nested Map processors and Parallel branches included, by name. */
function allStates(definition: AslDefinition, into = new Map<string, AslState>()): Map<string, AslState> {
  for (const [name, state] of Object.entries(definition.States)) {
    into.set(name, state);
    for (const nested of [state.ItemProcessor, state.Iterator, ...(state.Branches ?? [])]) {
      if (nested) allStates(nested, into);
    }
  }
  return into;
}

/** When a Wait state ends: its timestamp, its seconds from now, or the timestamp at its path. */
function waitTarget(state: AslState, input: unknown, now: number): number {
  if (state.Timestamp) return Date.parse(state.Timestamp);
  if (state.Seconds !== undefined) return now + state.Seconds * 1000;
  const path = (state.TimestampPath ?? '$').replace(/^\$\.?/, '');
  const value = path
    .split('.')
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], input);
  return typeof value === 'string' ? Date.parse(value) : now;
}

/** An object whose values are computed when the interpreter reads them (it reads overrides by state name). */
function lazyRecord<T>(compute: (key: string) => T | undefined): Record<string, T> {
  return new Proxy({} as Record<string, T>, {
    get: (_target, key) => (typeof key === 'string' ? compute(key) : undefined),
  });
}

function lambdaContext(stateName: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `tandem-local-${stateName}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:tandem-local-${stateName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/tandem-local-${stateName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 300_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}
