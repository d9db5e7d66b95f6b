import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { startWorker, warmWorker } from '../../shared/matching/worker-threads.ts';

/** A worker module as the matching's are: it exports `run(data)`; this one doubles a number back. */
const doubler = new URL('data:text/javascript,export function run(d){d.port.postMessage(d.value*2)}');

const reply = (port: MessagePort) => new Promise((resolve) => port.once('message', resolve));

describe('the matching’s worker threads', () => {
  it('run their module with the data they are started with', async () => {
    const { port1, port2 } = new MessageChannel();
    const worker = startWorker(doubler, { workerData: { value: 4, port: port2 }, transferList: [port2] });
    try {
      expect(await reply(port1)).toBe(8);
    } finally {
      port1.close();
      await worker.terminate();
    }
  });

  it('started warm, wait for their data as their first message, and are given it once', async () => {
    const warm = warmWorker(doubler);
    const { port1, port2 } = new MessageChannel();
    const worker = warm.give({ value: 21, port: port2 }, [port2]);
    try {
      expect(worker).toBeDefined();
      expect(await reply(port1)).toBe(42);
      expect(warm.give({ value: 1 }, [])).toBeUndefined();
    } finally {
      port1.close();
      await worker?.terminate();
    }
  });

  it('started warm and never used, are stopped by close and cannot be given work after', async () => {
    const warm = warmWorker(doubler);
    warm.close();
    expect(warm.give({ value: 1 }, [])).toBeUndefined();
  });
});
