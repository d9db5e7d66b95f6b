import { type CfnElement, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

export type WithResource = IConstruct & { node: { defaultChild?: unknown } };

/** The logical id of an L2 construct's CloudFormation resource, as the template names it. */
export const logicalIdOf = (construct: WithResource) =>
  Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
