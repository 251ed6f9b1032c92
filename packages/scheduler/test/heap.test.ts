import { describe, expect, it } from 'vitest';
import { KeyedHeap } from '../src/heap.js';
import { seededRandom } from '../src/random.js';

interface Item {
  key: string;
  value: number;
}

describe('KeyedHeap', () => {
  it('pops in order after any mix of pushes, updates and deletes', () => {
    const random = seededRandom(3);
    const heap = new KeyedHeap<Item>((i) => i.key, (a, b) => a.value < b.value);
    const model = new Map<string, number>();
    for (let step = 0; step < 2000; step++) {
      const key = `k${Math.floor(random() * 50)}`;
      if (random() < 0.7) {
        const value = Math.floor(random() * 1000);
        heap.push({ key, value });
        model.set(key, value);
      } else {
        expect(heap.delete(key)?.value).toBe(model.get(key));
        model.delete(key);
      }
      expect(heap.size).toBe(model.size);
    }
    const popped: number[] = [];
    for (let item = heap.pop(); item; item = heap.pop()) popped.push(item.value);
    expect(popped).toEqual([...model.values()].sort((a, b) => a - b));
  });

  it('finds items by key', () => {
    const heap = new KeyedHeap<Item>((i) => i.key, (a, b) => a.value < b.value);
    heap.push({ key: 'a', value: 2 });
    heap.push({ key: 'b', value: 1 });
    expect(heap.has('a')).toBe(true);
    expect(heap.get('a')?.value).toBe(2);
    expect(heap.peek()?.key).toBe('b');
    heap.push({ key: 'a', value: 0 });
    expect(heap.peek()?.key).toBe('a');
    expect(heap.delete('missing')).toBeUndefined();
  });
});
