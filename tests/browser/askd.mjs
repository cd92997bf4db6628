// The real askd for browser tests: a temp folder with its own config and SQLite file, accounts
// made with the CLI, the server started on a loopback port and restartable on the same port.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ASKD = process.env.ASKD;
if (!ASKD) throw new Error('set ASKD to the askd binary');

export class Askd {
  /** `extraToml`: more config tables (e.g. an escalation policy in seconds); keys of [alerts] first,
      without the header. `renotifySeconds`: how often waiting requests ring the on-duty dashboards again. */
  constructor(extraToml = '', { renotifySeconds = 30 } = {}) {
    this.dir = mkdtempSync(join(tmpdir(), 'ask-browser-'));
    this.config = join(this.dir, 'askd.toml');
    writeFileSync(this.config, `[server]\nlisten = "127.0.0.1:0"\n[store]\npath = "${join(this.dir, 'ask.db')}"\n` +
      `[alerts]\nrenotify_seconds = ${renotifySeconds}\n${extraToml}`);
    this.port = 0;
    this.log = '';
  }

  cli(args, input = '') {
    const r = spawnSync(ASKD, [...args, '--config', this.config], { input, encoding: 'utf8', timeout: 30000 });
    if (r.status !== 0) throw new Error(`askd ${args.join(' ')} failed: ${r.stderr}`);
    return r.stdout;
  }

  addStaff(username, name, password, role = 'staff') {
    this.cli(['staff', 'add', '--username', username, '--name', name, '--role', role], `${password}\n`);
  }

  /** Returns the resident's access token (the last line of stdout). */
  addResident(name, phone, needs) {
    return this.cli(['resident', 'add', '--name', name, '--phone', phone, '--needs', needs]).trim().split('\n').pop();
  }

  /** Starts `askd serve` (on the same port as before, after the first start) and waits until it listens. */
  start() {
    const listen = this.port ? ['--listen', `127.0.0.1:${this.port}`] : [];
    this.process = spawn(ASKD, ['serve', '--config', this.config, ...listen], { stdio: ['ignore', 'pipe', 'pipe'] });
    const from = this.log.length; // this run's output only: an earlier run also said "listening"
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`askd did not start:\n${this.log}`)), 15000);
      const onData = (chunk) => {
        this.log += chunk;
        const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(this.log.slice(from));
        if (m) {
          this.port = Number(m[1]);
          clearTimeout(timer);
          resolve();
        }
      };
      this.process.stdout.on('data', onData);
      this.process.stderr.on('data', onData);
      this.process.on('exit', (code) => reject(new Error(`askd exited (${code}):\n${this.log}`)));
    });
  }

  /** kill -9: the crash case. Returns at once if askd has already exited. */
  async kill() {
    this.process.removeAllListeners('exit'); // the start() watcher: this exit is wanted
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    const exited = new Promise((resolve) => this.process.once('exit', resolve));
    this.process.kill('SIGKILL');
    await exited;
  }

  /** Kills askd and removes its folder (config, database). */
  async dispose() {
    if (this.process) await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }

  get base() { return `http://127.0.0.1:${this.port}`; }
}
