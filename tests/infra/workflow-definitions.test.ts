import { readdirSync } from 'node:fs';
import { expect, it } from 'vitest';
import { loadWorkflowDefinitions } from '../../local/workflow/workflow-definitions.ts';
import { tempDir } from '../support/temp-dirs.ts';

it('reads the local stack’s state machine definitions from the app and leaves nothing in the temporary folder', () => {
  // A temporary folder of its own, so that nothing else running makes or removes folders there.
  const tmp = tempDir('tandem-tmpdir-');
  const before = process.env.TMPDIR;
  process.env.TMPDIR = tmp;
  try {
    const { cohort, round, handlers } = loadWorkflowDefinitions();
    expect(cohort.definition.StartAt).toBeTruthy();
    expect(round.definition.StartAt).toBeTruthy();
    expect(handlers.size).toBeGreaterThan(0);
    // The app staged its assets (22 MB) into an output folder: it is gone.
    expect(readdirSync(tmp)).toEqual([]);
  } finally {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
  }
});
