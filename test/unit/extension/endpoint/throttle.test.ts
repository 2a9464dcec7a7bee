import * as assert from 'node:assert/strict';
import { Throttle, TimerApi } from '../../../../src/extension/endpoint/throttle';

/** A clock the test advances by hand: no real time passes. */
function manualTimers(): TimerApi & { fire(): void; pending: number } {
  let queue: Array<{ fn: () => void; id: number }> = [];
  let next = 1;
  return {
    setTimeout(fn) {
      const id = next++;
      queue.push({ fn, id });
      return id;
    },
    clearTimeout(h) {
      queue = queue.filter((t) => t.id !== h);
    },
    fire() {
      const due = queue;
      queue = [];
      for (const t of due) t.fn();
    },
    get pending() {
      return queue.length;
    },
  };
}

describe('extension/endpoint Throttle', () => {
  it('a burst of events becomes one call at the end of the interval', () => {
    const timers = manualTimers();
    let calls = 0;
    const t = new Throttle(() => calls++, 250, timers);
    for (let i = 0; i < 100; i++) t.schedule();
    assert.equal(calls, 0);
    assert.equal(timers.pending, 1);
    timers.fire();
    assert.equal(calls, 1);
    t.schedule();
    timers.fire();
    assert.equal(calls, 2, 'events after a call schedule the next one');
  });

  it('flush runs a pending call now; cancel drops it', () => {
    const timers = manualTimers();
    let calls = 0;
    const t = new Throttle(() => calls++, 250, timers);
    t.flush();
    assert.equal(calls, 0, 'nothing pending, nothing run');
    t.schedule();
    t.flush();
    assert.equal(calls, 1);
    assert.equal(timers.pending, 0);
    t.schedule();
    t.cancel();
    timers.fire();
    assert.equal(calls, 1);
  });
});
