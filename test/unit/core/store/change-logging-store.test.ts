import { describe, expect, it } from 'vitest';
import { ChangeLoggingStore } from '../../../../services/core/src/store/change-logging-store.ts';
import { MemoryStore } from '../../../../services/core/src/store/memory-store.ts';

const b = (s: string) => Buffer.from(s);

describe('ChangeLoggingStore', () => {
  it('shouldRecordOneRecordPerKeyWithTheLastValueWhenDrained', async () => {
    const store = new ChangeLoggingStore(new MemoryStore());
    await store.write([
      { key: 'a', value: b('1') },
      { key: 'b', value: b('1') },
    ]);
    await store.write([
      { key: 'a', value: b('2') },
      { key: 'b', value: null },
    ]);
    expect(store.drain()).toEqual([
      { key: 'a', value: b('2') },
      { key: 'b', value: null },
    ]);
    expect(store.drain()).toEqual([]);
  });

  it('shouldLeaveDerivedKeysOutWhenTheyAreNotLogged', async () => {
    const inner = new MemoryStore();
    const store = new ChangeLoggingStore(inner, { isLogged: (k) => !k.startsWith('x:') });
    await store.write([
      { key: 's:1', value: b('v') },
      { key: 'x:9:1', value: b('') },
    ]);
    expect(store.drain().map((r) => r.key)).toEqual(['s:1']);
    expect(inner.size).toBe(2);
  });

  it('shouldDropUndrainedRecordsWhenDiscarded', async () => {
    const store = new ChangeLoggingStore(new MemoryStore());
    await store.write([{ key: 'a', value: b('1') }]);
    store.discard();
    expect(store.drain()).toEqual([]);
  });
});
