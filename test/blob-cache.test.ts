import { describe, expect, it } from 'vitest';
import { BlobCache } from '../src/domain/message/blob-cache.js';

describe('the attachment blob cache of a worker', () => {
  const bytes = (size: number, fill: number) => Buffer.alloc(size, fill);

  it('keeps blobs by org and digest within its byte budget, dropping the least recently used first', () => {
    const cache = new BlobCache(300);
    cache.set(1, 'a', bytes(100, 1));
    cache.set(1, 'b', bytes(100, 2));
    cache.set(2, 'a', bytes(100, 3));
    // The same digest in another org is another blob.
    expect(cache.get(1, 'a')?.[0]).toBe(1);
    expect(cache.get(2, 'a')?.[0]).toBe(3);
    expect(cache.size).toBe(300);
    // 1:a and 2:a were used after 1:b: 1:b goes to make room.
    cache.set(1, 'c', bytes(100, 4));
    expect(cache.get(1, 'b')).toBeUndefined();
    expect([cache.get(1, 'a')?.[0], cache.get(2, 'a')?.[0], cache.get(1, 'c')?.[0]]).toEqual([1, 3, 4]);
    expect(cache.size).toBe(300);
  });

  it('never holds a blob larger than its budget, and keeps the first copy of a blob it has', () => {
    const cache = new BlobCache(100);
    cache.set(1, 'big', bytes(101, 9));
    expect(cache.get(1, 'big')).toBeUndefined();
    expect(cache.size).toBe(0);
    cache.set(1, 'x', bytes(60, 1));
    cache.set(1, 'x', bytes(60, 2));
    expect(cache.get(1, 'x')?.[0]).toBe(1);
    expect(cache.size).toBe(60);
  });
});
