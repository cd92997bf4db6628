// Debian's chromium driven by playwright-core: headless, sandbox off (CI runs as root), no
// background traffic, a fresh profile per run (launch() gives chromium a new temporary
// --user-data-dir every time and removes it afterwards; passing our own is refused). Pages get hooks that record what a staff
// dashboard does to get attention (notifications, sounds) instead of doing it.
import { chromium } from 'playwright-core';

/** `extraArgs`: more chromium switches (e.g. --host-resolver-rules for a page opened by a LAN name). */
export async function launch(extraArgs = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', ...extraArgs],
    timeout: 30000,
  });
}

/** A context whose pages record notifications and tones in window.__attention. */
export async function contextWithAttentionHooks(browser, options = {}) {
  const context = await browser.newContext(options);
  await context.addInitScript(() => {
    window.__attention = [];
    class RecordingNotification {
      constructor(title) { this.title = title; window.__attention.push({ kind: 'notification', title }); }
      close() { window.__attention.push({ kind: 'notification closed', title: this.title }); }
      static permission = 'granted';
      static requestPermission() { return Promise.resolve('granted'); }
    }
    window.Notification = RecordingNotification;
    const Real = window.AudioContext;
    window.AudioContext = class extends Real {
      createOscillator() {
        window.__attention.push({ kind: 'tone' });
        return super.createOscillator();
      }
    };
  });
  context.setDefaultTimeout(10000);
  return context;
}
