/**
 * Request collapsing ("single flight"): calls with the same key while one is
 * running share its result instead of starting their own. A stall shared on
 * Zalo gets its visitors in bursts; with this, a burst costs one database read
 * rather than one per visitor, and nobody gets anything older than a read
 * that was still running when they asked. Nothing is kept once it settles, so
 * there is no cache to invalidate. Callers must not mutate what they get.
 */
export function singleFlight<K, V>(run: (key: K) => Promise<V>): (key: K) => Promise<V> {
  const running = new Map<K, Promise<V>>();
  return (key) => {
    let result = running.get(key);
    if (!result) {
      result = run(key).finally(() => running.delete(key));
      running.set(key, result);
    }
    return result;
  };
}
