import DataLoader from 'dataloader';

/**
 * The per-request DataLoaders. Each loader is created on first use under a key that includes the
 * arguments it was asked with (e.g. a page size), so that parents sharing arguments batch together.
 */
export class LoaderRegistry {
  private readonly loaders = new Map<string, DataLoader<unknown, unknown>>();

  get<K, V>(key: string, batch: (keys: readonly K[]) => Promise<readonly (V | Error)[]>): DataLoader<K, V> {
    let loader = this.loaders.get(key) as DataLoader<K, V> | undefined;
    if (!loader) {
      loader = new DataLoader<K, V>(batch, { maxBatchSize: 1000 });
      this.loaders.set(key, loader as DataLoader<unknown, unknown>);
    }
    return loader;
  }
}

/** Orders batch results by key: a missing key resolves to `fallback`. */
export function byKeys<K, V>(keys: readonly K[], found: Map<K, V>, fallback: V): V[] {
  return keys.map((key) => found.get(key) ?? fallback);
}

/** Groups rows by a key into lists, in row order. */
export function groupBy<K, V>(rows: readonly V[], keyOf: (row: V) => K): Map<K, V[]> {
  const groups = new Map<K, V[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const list = groups.get(key);
    if (list) list.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}
