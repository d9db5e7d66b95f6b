import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { projectRoot } from '../support/cli.ts';
import { tempDir } from '../support/temp-dirs.ts';

/** The environment with no AWS credentials, profile or account in reach: synth must not need them. */
function withoutAws(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(env).filter(([name]) => !name.startsWith('AWS_') && !name.startsWith('CDK_DEFAULT_')),
  );
}

it('`npx cdk synth` works offline with no credentials: every stack, functions and the console bundled by esbuild', async () => {
  const out = tempDir('tandem-cdk-out-');
  const result = await new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(join(projectRoot, 'node_modules', '.bin', 'cdk'), ['synth', '-q', '-o', out], {
      cwd: projectRoot,
      env: { ...withoutAws(process.env), HOME: tempDir('tandem-home-') },
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
  // The web console: its distribution and client beside the user pool, its files published after the API.
  expect(types).toContain('AWS::CloudFront::Distribution');
  expect(typesIn('TandemConsole')).toContain('Custom::CDKBucketDeployment');
  const stacksTypes = [...types, ...typesIn('TandemConsole')];
  const folders = readdirSync(out).filter(
    (name) => name.startsWith('asset.') && statSync(join(out, name)).isDirectory(),
  );
  const holding = (test: (file: string) => boolean) =>
    folders.filter((folder) => readdirSync(join(out, folder)).some(test));
  // Every Tandem function's code is a bundle: one asset folder with its index file each (the
  // console stack's one function is CDK's own, in Python).
  const tandemFunctions = types.filter((type) => type === 'AWS::Lambda::Function').length;
  expect(holding((file) => /^index\.m?js$/.test(file))).toHaveLength(tandemFunctions);
  expect(holding((file) => file === 'index.py')).toHaveLength(
    stacksTypes.filter((type) => type === 'AWS::Lambda::Function').length - tandemFunctions,
  );
  // The console's build: its page and the one script it loads.
  const [site] = holding((file) => file === 'index.html');
  const files = readdirSync(join(out, site ?? ''));
  const script = /src="\/(app-\w+\.js)"/.exec(readFileSync(join(out, site ?? '', 'index.html'), 'utf8'))?.[1];
  expect(files).toContain(script);
});
