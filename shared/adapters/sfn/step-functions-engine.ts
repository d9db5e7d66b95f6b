import {
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  InvalidToken,
  SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import type { WorkflowEngine } from '../../ports.ts';

/**
 * Step Functions behind the WorkflowEngine port. Locally the same client talks to the local
 * runner's emulation of these calls (AWS_ENDPOINT_URL_SFN), so this code runs in both places.
 */
export class StepFunctionsEngine implements WorkflowEngine {
  readonly #client: SFNClient;
  readonly #stateMachineArn: string | undefined;

  /** Without the state machine's ARN, the engine can only complete tasks (a workflow step's case). */
  constructor(client: SFNClient, stateMachineArn?: string) {
    this.#client = client;
    this.#stateMachineArn = stateMachineArn;
  }

  #arn(): string {
    if (!this.#stateMachineArn) throw new Error('This function is not configured to start or stop workflows');
    return this.#stateMachineArn;
  }

  async start(executionName: string, input: { cohortId: string }): Promise<void> {
    try {
      await this.#client.send(
        new StartExecutionCommand({
          stateMachineArn: this.#arn(),
          name: executionName,
          input: JSON.stringify(input),
        }),
      );
    } catch (error) {
      if (!(error instanceof ExecutionAlreadyExists)) throw error;
    }
  }

  async stop(executionName: string): Promise<void> {
    const executionArn = `${this.#arn().replace(':stateMachine:', ':execution:')}:${executionName}`;
    try {
      await this.#client.send(
        new StopExecutionCommand({ executionArn, cause: 'Restarted by the organizer' }),
      );
    } catch (error) {
      if (!(error instanceof ExecutionDoesNotExist)) throw error;
    }
  }

  async completeTask(taskToken: string, output: unknown): Promise<void> {
    try {
      await this.#client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
    } catch (error) {
      // The execution moved on (restarted, timed out): the next one reads the approval from the table.
      if (
        !(error instanceof TaskDoesNotExist || error instanceof TaskTimedOut || error instanceof InvalidToken)
      )
        throw error;
    }
  }
}
