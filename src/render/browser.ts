/**
 * The browser the preview renders in: Debian's Chromium, installed with apt-get when it is missing
 * (the machine's package registry is the only source of a browser here), driven by playwright-core.
 * Fonts come from fonts-dejavu-core and the page pins DejaVu Sans, so renders do not depend on
 * whichever fonts a machine happens to have.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UserError, progress } from '../cli/user-error';
import { withLock } from '../stack/lock';

export const CHROMIUM = '/usr/bin/chromium';
const FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
const PACKAGES = ['chromium', 'fonts-dejavu-core'];

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Same pixels on every machine: no LCD subpixel text, sRGB, no smooth scrolling.
  '--disable-lcd-text',
  '--force-color-profile=srgb',
  '--font-render-hinting=none',
] as const;

export interface EnsureOptions {
  log?: (line: string) => void;
  /** @default $MESHKIT_CHROMIUM, else /usr/bin/chromium (installed when missing) */
  executable?: string;
}

/**
 * Installs Debian's chromium and fonts-dejavu-core with apt-get unless both are there; idempotent,
 * and serialised between processes (two test workers) by a lock file. Returns the executable.
 */
export async function ensureChromium(options: EnsureOptions = {}): Promise<string> {
  const log = options.log ?? progress;
  const executable = options.executable ?? (process.env.MESHKIT_CHROMIUM || CHROMIUM);
  const ready = () => existsSync(executable) && existsSync(FONT);
  if (ready()) return executable;
  if (executable !== CHROMIUM) {
    throw new UserError(`there is no Chromium at ${executable} (MESHKIT_CHROMIUM); unset it to use Debian's chromium, which render installs with apt-get.`);
  }
  if (!existsSync('/usr/bin/apt-get')) {
    throw new UserError(`Chromium is not installed at ${CHROMIUM} and there is no apt-get to install it; install Debian's chromium and fonts-dejavu-core packages.`);
  }
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new UserError(`Chromium is not installed at ${CHROMIUM}; run "apt-get install -y ${PACKAGES.join(' ')}" as root, then try again.`);
  }
  const lock = path.join(tmpdir(), 'meshkit-rebalance-obs-chromium.lock');
  await withLock(lock, (pid) => log(`[render] waiting for another install of Chromium (pid ${pid})…`), async () => {
    if (ready()) return;
    const started = Date.now();
    log(`[render] installing ${PACKAGES.join(' and ')} with apt-get (once; takes a minute)…`);
    try {
      await apt(['install', '-y', '--no-install-recommends', ...PACKAGES], log);
    } catch {
      // A machine whose package lists are missing or stale: refresh them once.
      log('[render] apt-get install failed; running apt-get update and trying again…');
      await apt(['update'], log);
      await apt(['install', '-y', '--no-install-recommends', ...PACKAGES], log);
    }
    if (!ready()) throw new UserError(`apt-get installed ${PACKAGES.join(' ')} but ${CHROMIUM} is still missing.`);
    log(`[render] Chromium installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  });
  return executable;
}

/** Runs apt-get, passing its progress lines on ("Unpacking …", "Setting up …"). */
function apt(args: string[], log: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('apt-get', ['-q', '-o', 'Dpkg::Use-Pty=0', ...args], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let tail = '';
    let fetched = 0;
    let unpacked = 0;
    const onData = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      tail = (tail + text).slice(-2000);
      for (const line of text.split('\n')) {
        const l = line.trim();
        if (/^(Need to get|E:|Setting up (chromium|fonts-dejavu-core) )/.test(l)) log(`[render]   ${l}`);
        else if (/^Get:\d+/.test(l)) fetched++;
        else if (/^Unpacking /.test(l) && ++unpacked % 20 === 0) log(`[render]   ${fetched} packages fetched, ${unpacked} unpacked…`);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (error) => reject(new UserError(`apt-get could not run: ${error.message}.`)));
    child.on('exit', (code) => {
      if (code === 0) resolve();
      else reject(new UserError(`apt-get ${args[0]} failed (exit ${code}): ${tail.trim().split('\n').pop() ?? ''}`));
    });
  });
}

/** What render.ts needs of a browser page; playwright-core's Page satisfies it. */
export interface BrowserSession {
  page: import('playwright-core').Page;
  close(): Promise<void>;
}

/**
 * Launches headless Chromium on a new, empty profile with a fixed viewport, UTC and en-US, and
 * returns its page. The profile is deleted on close.
 */
export async function launchBrowser(options: { executable: string; width: number; height: number }): Promise<BrowserSession> {
  let playwright: typeof import('playwright-core');
  try {
    playwright = await import('playwright-core');
  } catch {
    throw new UserError('the npm package playwright-core is not installed; run "npm ci" in the project first.');
  }
  const profile = mkdtempSync(path.join(tmpdir(), 'meshkit-render-profile-'));
  try {
    const context = await playwright.chromium.launchPersistentContext(profile, {
      executablePath: options.executable,
      headless: true,
      args: [...CHROMIUM_ARGS],
      viewport: { width: options.width, height: options.height },
      deviceScaleFactor: 1,
      timezoneId: 'UTC',
      locale: 'en-US',
      colorScheme: 'dark',
      reducedMotion: 'reduce',
    });
    const page = context.pages()[0] ?? (await context.newPage());
    return {
      page,
      close: async () => {
        await context.close();
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw error instanceof UserError ? error : new UserError(`Chromium did not start: ${(error as Error).message.split('\n')[0]}`);
  }
}
