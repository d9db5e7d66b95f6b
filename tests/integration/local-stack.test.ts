import { afterAll, expect, it } from 'vitest';
import { startLocalStack } from '../../local/local-stack.ts';

const environment = { ...process.env };
afterAll(() => {
  process.env = environment;
});

it('serves from its own engines when it is the second local stack of the process', async () => {
  // Each stack's handlers must use its engines, not the adapters the first one left behind.
  for (const _ of [1, 2]) {
    const stack = await startLocalStack();
    try {
      const response = await fetch(`${stack.apiUrl}/cohorts/no-such-cohort`);
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
    } finally {
      await stack.stop();
    }
  }
});
