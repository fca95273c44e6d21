/** Runs operations one at a time, in arrival order. */
export type Serializer = <T>(operation: () => Promise<T>) => Promise<T>;

/** A queue of one: each operation starts when the previous one has settled. */
export function createSerializer(): Serializer {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(operation: () => Promise<T>) => {
    const result = tail.then(operation, operation);
    tail = result.catch(() => {});
    return result;
  };
}
