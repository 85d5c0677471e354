import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where Chromium is: CHROMIUM_PATH, else Debian's package (`.ci/ensure-chromium` installs it). */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((path): path is string => Boolean(path));
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new Error('No Chromium for the browser tests: run .ci/ensure-chromium (Debian: apt-get install chromium) or set CHROMIUM_PATH.');
  return found;
}

/** Headless Chromium, as root too (no sandbox there: Chromium refuses to start sandboxed as root). */
export function launchBrowser(): Promise<Browser> {
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: asRoot ? ['--no-sandbox'] : [] });
}
