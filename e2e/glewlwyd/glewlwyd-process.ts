// A Glewlwyd of the run's own, from Debian's package (scripts/install-debian-packages.sh):
// its SQLite file initialised from the package's SQL, its config and a copy of its login
// app in a temp folder, started on the given port and stopped by its pid. Nothing of the
// machine's /etc/glewlwyd or /var is used or touched.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { GLEWLWYD_PACKAGE, GLEWLWYD_VERSION } from './glewlwyd-version.ts';

const WEBAPP = '/usr/share/glewlwyd/webapp';
// Debian ships the schema with the docs; the source tree has it under docs/database.
const INIT_SQL = [
  '/usr/share/doc/glewlwyd/database/init.sqlite3.sql.gz',
  '/usr/share/doc/glewlwyd/database/init.sqlite3.sql',
];
/** The login app's own settings (the package's is a symlink to a folder: unusable as is). */
const LOGIN_APP_CONFIG = '/etc/glewlwyd/config-2.7.json/config.json';

export interface GlewlwydProcess {
  /** http://localhost:<port>: the login app and, under /api, every API. */
  baseUrl: string;
  logFile: string;
  stop(): Promise<void>;
}

export function checkGlewlwydVersion(): string {
  let version: string;
  try {
    version = execFileSync('glewlwyd', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(
      `missing prerequisite: glewlwyd (install it: scripts/install-debian-packages.sh "${GLEWLWYD_PACKAGE}")`,
    );
  }
  if (!GLEWLWYD_VERSION.test(version)) {
    throw new Error(`missing prerequisite: ${GLEWLWYD_PACKAGE} (installed: ${version})`);
  }
  return version;
}

export async function startGlewlwyd({
  dir,
  port,
}: {
  /** An empty folder of the run's own. */
  dir: string;
  port: number;
}): Promise<GlewlwydProcess> {
  checkGlewlwydVersion();
  mkdirSync(dir, { recursive: true });
  const baseUrl = `http://localhost:${port}`;
  const database = path.join(dir, 'glewlwyd.sqlite3');
  initDatabase(database);
  const webapp = path.join(dir, 'webapp');
  copyLoginApp(webapp);
  const configFile = path.join(dir, 'glewlwyd.conf');
  writeFileSync(configFile, glewlwydConf({ port, baseUrl, database, webapp }));
  const logFile = path.join(dir, 'glewlwyd.log');
  const log = openSync(logFile, 'a');
  const child = spawn('glewlwyd', [`--config-file=${configFile}`], {
    stdio: ['ignore', log, log],
  });
  writeFileSync(path.join(dir, 'glewlwyd.pid'), String(child.pid));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitUntilUp(`${baseUrl}/config`, child, logFile);
  } catch (error) {
    await stopByPid(child, exited);
    throw error;
  }
  return { baseUrl, logFile, stop: () => stopByPid(child, exited) };
}

function initDatabase(file: string): void {
  const source = INIT_SQL.find((candidate) => existsSync(candidate));
  if (!source) throw new Error(`glewlwyd: no SQLite schema at ${INIT_SQL.join(' or ')}`);
  const raw = readFileSync(source);
  const sql = source.endsWith('.gz') ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
  const db = new Database(file);
  try {
    db.exec(sql);
  } finally {
    db.close();
  }
}

function copyLoginApp(target: string): void {
  for (const entry of readdirSync(WEBAPP)) {
    if (entry === 'config.json') continue;
    cpSync(path.join(WEBAPP, entry), path.join(target, entry), {
      recursive: true,
      dereference: true,
    });
  }
  writeFileSync(path.join(target, 'config.json'), readFileSync(LOGIN_APP_CONFIG));
}

/** libconfig syntax; what is not here keeps Glewlwyd's default. */
function glewlwydConf(o: { port: number; baseUrl: string; database: string; webapp: string }) {
  const mime = [
    ['.html', 'text/html'],
    ['.css', 'text/css'],
    ['.js', 'application/javascript'],
    ['.json', 'application/json'],
    ['.png', 'image/png'],
    ['.ico', 'image/x-icon'],
    ['.woff', 'font/woff'],
    ['.woff2', 'font/woff2'],
    ['.ttf', 'font/ttf'],
  ];
  return `port=${o.port}
bind_address="127.0.0.1"
external_url="${o.baseUrl}"
login_url="login.html"
api_prefix="api"
static_files_path="${o.webapp}/"
allow_origin="*"
allow_methods="GET, POST, PUT, DELETE, OPTIONS"
allow_headers="Origin, X-Requested-With, Content-Type, Accept, Bearer, Authorization, DPoP"
expose_headers="Content-Encoding, Authorization, WWW-Authenticate, DPoP-Nonce"
log_mode="console"
log_level="INFO"
# http on localhost: the test has no TLS here
cookie_secure=0
cookie_same_site="lax"
session_expiration=3600
session_key="GLEWLWYD2_SESSION_ID"
admin_session_authentication="cookie"
profile_session_authentication="cookie"
allow_multiple_user_per_session=false
login_api_enabled=true
add_x_frame_option_header_deny=true
admin_scope="g_admin"
profile_scope="g_profile"
user_module_path="/usr/lib/glewlwyd/user"
client_module_path="/usr/lib/glewlwyd/client"
user_auth_scheme_module_path="/usr/lib/glewlwyd/scheme"
plugin_module_path="/usr/lib/glewlwyd/plugin"
hash_algorithm="SHA512"
database = { type = "sqlite3" path = "${o.database}" };
static_files_mime_types = (
${mime.map(([extension, type]) => `  { extension = "${extension}" mime_type = "${type}" }`).join(',\n')}
)
`;
}

async function waitUntilUp(url: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`glewlwyd exited with code ${child.exitCode} at start (see ${logFile})`);
    }
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`glewlwyd did not answer at ${url} within 15 s (see ${logFile})`);
}

async function stopByPid(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  process.kill(child.pid, 'SIGTERM');
  const timer = setTimeout(() => child.pid && process.kill(child.pid, 'SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
