import type { Command } from 'commander';
import { type ClockState, clockPath } from '../../local/clock-control.ts';
import { TandemError } from '../../shared/errors.ts';
import { connect, localApiUrl } from '../api-client.ts';
import { action, printJson } from '../run.ts';
import { speedLabel } from './dev.ts';

export function registerClock(cli: Command): void {
  const clock = cli
    .command('clock')
    .description(
      "show the dev stack's virtual time and speed (`tandem dev`); move it with `tandem clock advance`",
    )
    .option('--json', 'print as JSON')
    .action(
      action(async (options: { json?: boolean }) => {
        const state = await request<ClockState>('GET');
        if (options.json) return printJson(state);
        console.log(`Virtual time: ${label(state.now)}, ${speedLabel(state.speed)}`);
      }),
    );
  clock
    .command('advance')
    .description(
      'move the virtual time forward — 12h, 3d, 2w, 1mo (or several: 1w 2d), or to a date: 2027-03-01 — and wake the workflows whose time has come',
    )
    .argument('<amount>', 'how far: 12h, 3d, 2w, 1mo, 30min, "1w 2d", or a date such as 2027-03-01')
    .option('--json', 'print as JSON')
    .action(
      action(async (amount: string, options: { json?: boolean }) => {
        const state = await request<ClockState & { previous: string }>('POST', { advance: amount });
        if (options.json) return printJson(state);
        console.log(`✓ ${label(state.previous)} → ${label(state.now)}`);
        console.log(
          '  Workflows waiting for this time carry on now; `tandem status COHORT` shows where they are.',
        );
      }),
    );
}

async function request<T>(method: 'GET' | 'POST', body?: unknown): Promise<T> {
  // The local stack of `npm run dev` only, whatever TANDEM_API_URL says: no deployed API has a
  // clock. No token: the clock is the local stack's own control, beside the API's routes.
  const api = await connect({ apiUrl: await localApiUrl(), credentials: 'none' });
  try {
    return await api.request<T>(method, clockPath, body === undefined ? undefined : { json: body });
  } catch (error) {
    if (error instanceof TandemError && error.code === 'not_found')
      throw new TandemError(
        'setup',
        'This local Tandem has no clock: restart `npm run dev` with this version.',
      );
    throw error;
  }
}

const label = (iso: string) => {
  const date = new Date(iso);
  const weekday = date.toLocaleDateString('en-GB', { weekday: 'long', timeZone: 'UTC' });
  return `${weekday} ${iso.slice(0, 16).replace('T', ' ')} UTC`;
};
