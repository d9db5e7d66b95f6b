import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { projectRoot } from '../support/cli.ts';

/** The environment with no AWS credentials, profile or account in reach: synth must not need them. */
function withoutAws(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(env).filter(([name]) => !name.startsWith('AWS_') && !name.startsWith('CDK_DEFAULT_')),
  );
}

it('`npx cdk synth` works offline with no credentials: both stacks, functions bundled by esbuild', async () => {
  const out = mkdtempSync(join(tmpdir(), 'tandem-cdk-out-'));
  const result = await new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(join(projectRoot, 'node_modules', '.bin', 'cdk'), ['synth', '-q', '-o', out], {
      cwd: projectRoot,
      env: { ...withoutAws(process.env), HOME: mkdtempSync(join(tmpdir(), 'tandem-home-')) },
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('close', (code) => resolve({ code, output }));
  });
  expect(result.output).not.toContain('ERROR');
  expect(result.code).toBe(0);
  const typesIn = (stack: string) =>
    Object.values(
      (
        JSON.parse(readFileSync(join(out, `${stack}.template.json`), 'utf8')) as {
          Resources: Record<string, { Type: string }>;
        }
      ).Resources,
    ).map((resource) => resource.Type);
  const stateless = typesIn('TandemStateless');
  expect(stateless.filter((type) => type === 'AWS::StepFunctions::StateMachine')).toHaveLength(2);
  // The stateful stack has the user pool's pre-token-generation function.
  const types = [...stateless, ...typesIn('TandemStateful')];
  expect(types).toContain('AWS::Cognito::UserPool');
  // Every function's code is a bundle: one asset folder with its index file each.
  const bundles = readdirSync(out).filter((name) => name.startsWith('asset.'));
  expect(bundles.length).toBe(types.filter((type) => type === 'AWS::Lambda::Function').length);
  for (const bundle of bundles) {
    expect(readdirSync(join(out, bundle)).some((file) => /^index\.m?js$/.test(file))).toBe(true);
  }
});
