/**
 * Frame budget of the browser demo: headless Chromium (Debian's, via playwright-core) loads the
 * page from the demo's Vite server, the Izhikevich-2003 network runs in a worker at real time,
 * and the page's own frame log is read over ~5 s after a warm-up. Reports frames per second,
 * frame intervals, the main thread's work per frame and how closely the network kept real time.
 *
 *   npx tsx bench/frames.ts            # both scenarios, a table
 *   npx tsx bench/frames.ts --json     # one JSON line per scenario
 *   npx tsx bench/frames.ts --seconds 10
 *
 * Headless Chromium paces requestAnimationFrame at 60 Hz, so 60 fps is the ceiling.
 */
import type { Browser } from 'playwright-core';

import { launchChromium, startDemoServer } from '../test/e2e/harness.js';

interface Scenario {
  name: string;
  query: string;
}

const SCENARIOS: Scenario[] = [
  { name: 'Izhikevich-2003 alone (1 worker), real time', query: '?only=izhikevich' },
  { name: 'whole page: Izhikevich-2003 + the seed\'s 3 networks (4 workers), real time', query: '' },
  { name: 'whole page, not cross-origin isolated (transferable-buffer fallback)', query: '?isolation=off' },
];

const args = process.argv.slice(2);
const json = args.includes('--json');
const secondsArg = args.indexOf('--seconds');
const seconds = secondsArg >= 0 ? Number(args[secondsArg + 1]) : 5;
const WARMUP_MS = 1500;

interface Result {
  scenario: string;
  seconds: number;
  fps: number;
  frameIntervalMs: { p50: number; p95: number; max: number };
  framesOver20ms: number;
  mainThreadMsPerFrame: { mean: number; p95: number };
  simulatedPerWall: number;
  spikesPerSecond: number;
  droppedSteps: number;
  transport: string;
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

async function measure(browser: Browser, url: string, scenario: Scenario): Promise<Result> {
  const page = await browser.newPage({ viewport: { width: 1060, height: 1080 }, deviceScaleFactor: 1 });
  try {
    await page.goto(url + scenario.query, { timeout: 20_000 });
    await page.waitForFunction(() => window.spikeworldDemo?.ready || window.spikeworldDemo?.error, null, { timeout: 20_000 });
    const error = await page.evaluate(() => window.spikeworldDemo.error);
    if (error) throw new Error(`the page failed: ${error}`);
    await page.waitForTimeout(WARMUP_MS);
    const snapshot = () =>
      page.evaluate(() => {
        const d = window.spikeworldDemo;
        return { now: performance.now(), frames: d.framesDrawn, sim: d.simTimeMs, spikes: d.spikesDrawn, dropped: d.droppedSteps, transport: d.transport };
      });
    const a = await snapshot();
    await page.waitForTimeout(seconds * 1000);
    const b = await snapshot();
    const log = await page.evaluate((since) => {
      const d = window.spikeworldDemo;
      const times: number[] = [];
      const work: number[] = [];
      d.frameTimes.forEach((t, i) => {
        if (t >= since) {
          times.push(t);
          work.push(d.frameWork[i]!);
        }
      });
      return { times, work };
    }, a.now);
    const wall = (b.now - a.now) / 1000;
    const intervals = log.times.slice(1).map((t, i) => t - log.times[i]!).sort((x, y) => x - y);
    const work = [...log.work].sort((x, y) => x - y);
    return {
      scenario: scenario.name,
      seconds: round(wall, 2),
      fps: round((b.frames - a.frames) / wall, 1),
      frameIntervalMs: { p50: round(quantile(intervals, 0.5), 1), p95: round(quantile(intervals, 0.95), 1), max: round(intervals[intervals.length - 1] ?? NaN, 1) },
      framesOver20ms: intervals.filter((x) => x > 20).length,
      mainThreadMsPerFrame: { mean: round(work.reduce((s, x) => s + x, 0) / Math.max(1, work.length), 2), p95: round(quantile(work, 0.95), 2) },
      simulatedPerWall: round((b.sim - a.sim) / 1000 / wall, 3),
      spikesPerSecond: Math.round((b.spikes - a.spikes) / wall),
      droppedSteps: b.dropped - a.dropped,
      transport: b.transport,
    };
  } finally {
    await page.close();
  }
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

const browser = await launchChromium();
const { server, url } = await startDemoServer();
try {
  if (!json) console.log(`frame budget of the browser demo, headless Chromium, ${seconds} s per scenario after ${WARMUP_MS / 1000} s of warm-up\n`);
  for (const scenario of SCENARIOS) {
    const r = await measure(browser, url, scenario);
    if (json) {
      console.log(JSON.stringify({ figure: 'browser-frames', ...r }));
      continue;
    }
    console.log(r.scenario);
    console.log(`  ${r.fps} fps over ${r.seconds} s (${r.transport} memory); frame interval p50 ${r.frameIntervalMs.p50} ms, p95 ${r.frameIntervalMs.p95} ms, max ${r.frameIntervalMs.max} ms; ${r.framesOver20ms} frames over 20 ms`);
    console.log(`  main thread ${r.mainThreadMsPerFrame.mean} ms per frame (p95 ${r.mainThreadMsPerFrame.p95} ms); network at ${r.simulatedPerWall}× real time, ${r.spikesPerSecond} spikes drawn per s, ${r.droppedSteps} steps dropped\n`);
  }
} finally {
  await browser.close();
  await server.close();
}
