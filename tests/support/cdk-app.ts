import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { createApp } from '../../infra/app.ts';
import { tempDir } from './temp-dirs.ts';

/** cdk.json's feature flags, as `cdk synth` applies them (partition literals among them). */
const projectContext = (
  JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  }
).context;

/**
 * Where a test file's apps synthesize, removed after the file. Left to itself an app makes a
 * new temporary folder and never removes it: 33 folders and 600 MB of templates and assets
 * left in the system's temporary folder by every run of the tests.
 */
const synthesized = tempDir('tandem-infra-test-');

/** An app as the tests synthesize it: cdk.json's flags, bundling skipped (the templates, not the bundles, are under test). */
export const testApp = (context: Record<string, unknown> = {}) =>
  new App({
    outdir: mkdtempSync(join(synthesized, 'cdk.out-')),
    context: { ...projectContext, 'aws:cdk:bundling-stacks': [], ...context },
  });

/** The Tandem app, as the tests synthesize it. */
export const buildApp = (context: Record<string, unknown> = {}) => createApp(testApp(context));
