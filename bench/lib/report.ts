/**
 * One figure per line: an aligned table row for humans, or (`--json`) exactly one JSON object
 * `{"figure", "value", "unit", ...extra}` per line and nothing else on stdout.
 */

export interface Figure {
  figure: string;
  value: number;
  unit: string;
  /** Short discriminator shown after the name in the table (e.g. a network size); not in the JSON. */
  tag?: string;
  [extra: string]: unknown;
}

/** Reference timings as `[min, max]` (equal for a single value). */
export type Reference = Record<string, readonly [number, number]>;

const NAME_WIDTH = 48;
const VALUE_WIDTH = 11;
const UNIT_WIDTH = 10;

export class Reporter {
  constructor(private readonly json: boolean) {}

  header(title: string): void {
    if (this.json) return;
    console.log(title);
    console.log(`${'figure'.padEnd(NAME_WIDTH)}${'value'.padStart(VALUE_WIDTH)}  ${'unit'.padEnd(UNIT_WIDTH)}details`);
    console.log('-'.repeat(NAME_WIDTH + VALUE_WIDTH + UNIT_WIDTH + 2 + 40));
  }

  emit(f: Figure): void {
    const { tag, ...rest } = f;
    if (this.json) {
      console.log(JSON.stringify(rest, (_k, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(6)) : v)));
      return;
    }
    const name = tag ? `${f.figure} [${tag}]` : f.figure;
    const details = Object.entries(rest)
      .filter(([k]) => k !== 'figure' && k !== 'value' && k !== 'unit')
      .map(([k, v]) => `${k}=${formatExtra(v)}`)
      .join('  ');
    console.log(`${name.padEnd(NAME_WIDTH)}${formatNumber(f.value).padStart(VALUE_WIDTH)}  ${f.unit.padEnd(UNIT_WIDTH)}${details}`);
  }

  /** A note that is not a figure: on stderr in JSON mode so stdout stays one object per line. */
  note(text: string): void {
    if (this.json) console.error(text);
    else console.log(text);
  }

  /** Progress while a long figure runs: stderr, so it never mixes with the table or the JSON. */
  progress(text: string): void {
    if (process.stderr.isTTY) process.stderr.write(`\r\x1b[2K${text}`);
  }

  clearProgress(): void {
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[2K');
  }
}

export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a === 0) return '0';
  if (Number.isInteger(x) && a < 1e9) return String(x);
  if (a >= 1e6) return x.toExponential(3);
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  if (a >= 1) return x.toFixed(2);
  if (a >= 0.01) return x.toFixed(3);
  return x.toPrecision(3);
}

function formatExtra(v: unknown): string {
  if (typeof v === 'number') return formatNumber(v);
  if (isReference(v)) {
    return Object.entries(v)
      .map(([k, [lo, hi]]) => `${k} ${lo === hi ? formatNumber(lo) : `${formatNumber(lo)}–${formatNumber(hi)}`}`)
      .join(', ');
  }
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function isReference(v: unknown): v is Reference {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    Object.values(v).every((r) => Array.isArray(r) && r.length === 2 && r.every((x) => typeof x === 'number'))
  );
}
