/**
 * The link from a population, projection or monitor to the network it belongs to. Declarations
 * belong to the template ("magic") network, which `network.ts` installs here; copies belong to
 * the network that made them. Kept separate so the nouns do not import `Network` itself.
 */
import { SpikeworldError } from '../errors.js';
import type { World } from '../world/world.js';

export interface Owner {
  readonly world: World;
  /** 'the template network' or 'network 3': for error messages. */
  readonly label: string;
  register(obj: object): void;
}

let templateOwner: (() => Owner) | null = null;

export function installTemplate(get: () => Owner): void {
  templateOwner = get;
}

export function template(): Owner {
  if (!templateOwner) throw new SpikeworldError('internal: the template network is not installed');
  return templateOwner();
}

/** Set while a network builds its copies, so constructors register there instead. */
let copyTarget: Owner | null = null;

export function withOwner<T>(owner: Owner, build: () => T): T {
  const previous = copyTarget;
  copyTarget = owner;
  try {
    return build();
  } finally {
    copyTarget = previous;
  }
}

export function currentOwner(): Owner {
  return copyTarget ?? template();
}
