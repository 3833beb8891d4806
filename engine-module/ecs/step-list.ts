// The records a system steps each tick. A record joins when it gets work (started, woken by its transport or its
// job) and leaves at the next tick's look once it has none, so an idle or parked record costs nothing per tick;
// `listed` keeps it from joining twice.

/** A record that may be in a step list. */
export interface Listable {
  /** In the list now. */
  listed: boolean;
}

/** Add `rec` to `list` unless it is already there. */
export function enlist<T extends Listable>(list: T[], rec: T): void {
  if (rec.listed) return;
  rec.listed = true;
  list.push(rec);
}

/**
 * Keep, in place and in order, the records that `stays` accepts; the others leave the list. `stays` gets `context`
 * rather than closing over it, so a tick allocates nothing here.
 */
export function keepListed<T extends Listable, C>(list: T[], stays: (rec: T, context: C) => boolean, context: C): T[] {
  let kept = 0;
  for (const rec of list) {
    if (stays(rec, context)) list[kept++] = rec;
    else rec.listed = false;
  }
  list.length = kept;
  return list;
}
