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
