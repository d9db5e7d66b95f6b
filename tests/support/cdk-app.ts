import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { createApp } from '../../infra/app.ts';

/** cdk.json's feature flags, as `cdk synth` applies them (partition literals among them). */
export const projectContext = (
  JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  }
).context;

/** The Tandem app with bundling skipped: the templates, not the bundles, are under test. */
export const buildApp = (context: Record<string, unknown> = {}) =>
  createApp(new App({ context: { ...projectContext, 'aws:cdk:bundling-stacks': [], ...context } }));
