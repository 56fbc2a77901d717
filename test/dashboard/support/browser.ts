import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { projectRoot } from '../../../system/config.ts';

export const chromiumPath = '/usr/bin/chromium';
export const resultsDir = join(projectRoot, 'test-results');

/** Debian's chromium, installed with apt-get when missing (the test machines run as root). */
export function ensureChromium(): void {
  if (existsSync(chromiumPath)) return;
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', 'chromium'],
  ]) {
    const result = spawnSync('apt-get', args, {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (result.status !== 0)
      throw new Error(
        `apt-get ${args.join(' ')} exited ${result.status}: install chromium (Debian package) to run the browser tests`,
      );
  }
  if (!existsSync(chromiumPath))
    throw new Error(`apt-get installed chromium but ${chromiumPath} does not exist`);
}

export interface Browser {
  page: Page;
  /** Console errors and uncaught page errors seen so far. */
  errors: string[];
  close(): Promise<void>;
}

/**
 * Headless chromium with a fresh profile and no network of its own (no updates, sync or QUIC);
 * with `httpCredentials` it answers a Basic challenge as a user typing them into the prompt would.
 */
export async function openBrowser(
  options: { httpCredentials?: { username: string; password: string } } = {},
): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'cdnfaas-chromium-'));
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1500, height: 1300 },
    ...(options.httpCredentials ? { httpCredentials: options.httpCredentials } : {}),
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return {
    page,
    errors,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Saves a full-page screenshot under test-results/ and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(resultsDir, { recursive: true });
  const path = join(resultsDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * The browser of a describe block's tests: chromium is made sure of and opened before them (ahead
 * of the block's own set-up, so a missing chromium fails at once), and closed after them.
 */
export function browserForSuite(): { readonly browser: Browser } {
  let browser: Browser | undefined;
  beforeAll(async () => {
    ensureChromium();
    browser = await openBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    get browser() {
      if (browser === undefined) throw new Error('the browser is not open (asked for outside a test?)');
      return browser;
    },
  };
}

/** What a panel of the page shows: its state, message and the largest value it draws. */
export interface PanelState {
  state: string;
  message: string;
  max: number;
  canvases: number;
}

export async function panelState(page: Page, id: string): Promise<PanelState> {
  return page.evaluate((panelId) => {
    const node = document.querySelector<HTMLElement>(`section[data-id="${panelId}"]`);
    return {
      state: node?.dataset.state ?? 'missing',
      message: node?.querySelector('.message')?.textContent ?? '',
      max: Number(node?.dataset.max ?? 0),
      canvases: node?.querySelectorAll('.uplot canvas').length ?? 0,
    };
  }, id);
}

/**
 * Waits until every panel of `ids` has drawn a value above zero, then checks that each is ok and
 * draws a uPlot chart; returns what each shows.
 */
export async function expectPanelsCharted(
  page: Page,
  ids: string[],
  wait: { timeout: number; polling: number },
): Promise<Map<string, PanelState>> {
  await page.waitForFunction(
    (panels) =>
      panels.every(
        (panel) =>
          Number(document.querySelector<HTMLElement>(`section[data-id="${panel}"]`)?.dataset.max ?? 0) > 0,
      ),
    ids,
    wait,
  );
  const states = new Map<string, PanelState>();
  for (const panel of ids) {
    const state = await panelState(page, panel);
    expect(state.state, `${panel}: ${state.message}`).toBe('ok');
    expect(state.canvases, `${panel} draws a uPlot chart`).toBeGreaterThan(0);
    states.set(panel, state);
  }
  return states;
}
