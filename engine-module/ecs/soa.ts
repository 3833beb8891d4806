// Structure-of-arrays stores indexed by entity id that grow when a larger id shows up. Scripts read them through
// the component each time (`Progress.received[eid]`): a store's arrays are replaced when it grows.

type NumericArray = Int32Array | Float64Array | Uint8Array;
type ArrayCtor = { new (length: number): NumericArray };

/** A SoA store: one typed array per field, all of the same length. */
export type Soa<F extends string> = { [K in F]: NumericArray };

/** A store with these fields and initial capacity. */
export function createSoa<F extends string>(fields: Record<F, ArrayCtor>, capacity: number): Soa<F> {
  const store = {} as Soa<F>;
  for (const name of Object.keys(fields) as F[]) store[name] = new fields[name](capacity);
  return store;
}

/** Make every array of the store hold index `eid`, doubling its length as needed. */
export function ensureIndex<F extends string>(store: Soa<F>, eid: number): void {
  for (const name of Object.keys(store) as F[]) {
    const old = store[name];
    if (eid < old.length) continue;
    let length = Math.max(16, old.length);
    while (length <= eid) length *= 2;
    const grown = new (old.constructor as ArrayCtor)(length);
    grown.set(old as never);
    store[name] = grown;
  }
}
