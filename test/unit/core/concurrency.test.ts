import * as assert from 'node:assert/strict';
import { forEachLimited } from '../../../src/core/concurrency';

describe('core/concurrency forEachLimited', () => {
  it('never has more than `limit` calls in flight, visits every item once, and keeps going after a failure', async () => {
    let inFlight = 0;
    let peak = 0;
    const seen: number[] = [];
    const results = await forEachLimited([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setImmediate(r));
      seen.push(n);
      inFlight--;
      if (n === 2) throw new Error('two');
      return n * 10;
    });
    assert.equal(peak, 3);
    assert.deepEqual([...seen].sort(), [1, 2, 3, 4, 5, 6, 7]);
    assert.equal(results[1].status, 'rejected');
    assert.deepEqual(results.filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<unknown>).value), [10, 30, 40, 50, 60, 70]);
  });

  it('an empty list resolves at once', async () => {
    assert.deepEqual(await forEachLimited([], 4, async () => 1), []);
  });
});
