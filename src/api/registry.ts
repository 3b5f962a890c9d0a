/**
 * Ids for declared objects. A copy in a network keeps its original's id, which is how
 * `net.get(obj)` finds it — and how a worker that re-runs the user's declarations in the same
 * order ends up with handles that match the main thread's.
 */
let nextId = 0;

export function newObjectId(): number {
  return nextId++;
}

/** The id the next declaration will get. */
export function peekObjectId(): number {
  return nextId;
}

/** Back to the start, for `clear()`: the next declaration gets id 0 again. */
export function resetObjectIds(): void {
  nextId = 0;
}

/**
 * Two copies of spikeworld in one thread (a script importing the installed package, its module the
 * sources of another checkout, say) each keep their own declarations: objects declared through
 * one are invisible to the other, and parallelRun or get() then fail far from the cause. The
 * second copy to load says so.
 */
const COPY_KEY = Symbol.for('spikeworld.loadedFrom');
/** Every copy loaded in this thread, so that a parallelRun worker can name the one a module brought in. */
const ALL_KEY = Symbol.for('spikeworld.copies');
const holder = globalThis as { [COPY_KEY]?: string; [ALL_KEY]?: string[] };
const firstCopy = holder[COPY_KEY];
if (firstCopy === undefined) holder[COPY_KEY] = import.meta.url;
else if (firstCopy !== import.meta.url) {
  console.warn(
    `spikeworld: a second copy is loading (${import.meta.url}; the first: ${firstCopy}); objects declared through one are ` +
      `invisible to the other: import spikeworld from one place`,
  );
}
const copies = (holder[ALL_KEY] ??= firstCopy === undefined ? [] : [firstCopy]);
if (!copies.includes(import.meta.url)) copies.push(import.meta.url);

/** The URLs of the other copies of spikeworld loaded in this thread so far (none, normally). */
export function otherCopies(): string[] {
  return copies.filter((url) => url !== import.meta.url);
}
