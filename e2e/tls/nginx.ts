// The tls environment's own nginx: the configuration files docs/deploy.md shows (rendered as
// envsubst would, with exactly the names the docs list), inside a main file that keeps every
// path (pid, logs, temp folders) in the run's data folder. Started as a daemon, stopped by
// the pid in its pid file.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const NGINX_TEMPLATES = [
  'docs/nginx/contacts.conf.template',
  'docs/nginx/test-idp.conf.template',
] as const;

/** The names docs/deploy.md tells envsubst to replace (every other `$` is nginx's). */
export const TEMPLATE_NAMES = [
  'LISTEN',
  'APP_SERVER_NAME',
  'API_SERVER_NAME',
  'IDP_SERVER_NAME',
  'TLS_CERTIFICATE',
  'TLS_CERTIFICATE_KEY',
  'ACCESS_LOG',
  'SPA_UPSTREAM',
  'API_UPSTREAM',
  'IDP_UPSTREAM',
] as const;

export type TemplateValues = Record<(typeof TEMPLATE_NAMES)[number], string>;

/** `envsubst '${LISTEN} ${APP_SERVER_NAME} …'`: only the listed names, all of them given. */
export function renderTemplate(text: string, values: TemplateValues): string {
  return text.replace(/\$\{([A-Z_]+)\}/g, (match, name: string) => {
    if (!(name in values)) throw new Error(`nginx template: ${match} is not among TEMPLATE_NAMES`);
    return values[name as keyof TemplateValues];
  });
}

export interface NginxRun {
  dir: string;
  confFile: string;
  pidFile: string;
  accessLog: string;
  errorLog: string;
}

export function writeNginxConfig(
  dir: string,
  values: Omit<TemplateValues, 'ACCESS_LOG'>,
): NginxRun {
  mkdirSync(dir, { recursive: true });
  const run: NginxRun = {
    dir,
    confFile: path.join(dir, 'nginx.conf'),
    pidFile: path.join(dir, 'nginx.pid'),
    accessLog: path.join(dir, 'access.log'),
    errorLog: path.join(dir, 'error.log'),
  };
  const includes = NGINX_TEMPLATES.map((template) => {
    const file = path.join(dir, path.basename(template, '.template'));
    writeFileSync(
      file,
      renderTemplate(readFileSync(template, 'utf8'), { ...values, ACCESS_LOG: run.accessLog }),
    );
    return `    include ${file};`;
  });
  const temp = (name: string) => `${name}_temp_path ${path.join(dir, `${name}-temp`)};`;
  writeFileSync(
    run.confFile,
    [
      "# Test-only main file (e2e/tls/nginx.ts): everything in the run's data folder.",
      `pid ${run.pidFile};`,
      `error_log ${run.errorLog} warn;`,
      'worker_processes 1;',
      'events { worker_connections 512; }',
      'http {',
      `    ${temp('client_body')}`,
      `    ${temp('proxy')}`,
      `    ${temp('fastcgi')}`,
      `    ${temp('uwsgi')}`,
      `    ${temp('scgi')}`,
      ...includes,
      // After the includes: the log format is defined in contacts.conf.
      `    access_log ${run.accessLog} contacts_uri;`,
      '}',
      '',
    ].join('\n'),
  );
  return run;
}

const nginx = (run: NginxRun, ...args: string[]) =>
  execFileSync('nginx', ['-p', run.dir, '-c', run.confFile, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });

/** Checks the configuration (nginx -t), then starts nginx as a daemon. */
export function startNginx(run: NginxRun): void {
  try {
    nginx(run, '-t', '-q');
    nginx(run);
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? error);
    throw new Error(`nginx did not start: ${stderr.trim()}`);
  }
}

/** Stops nginx by the pid in its pid file, and waits until it has gone. */
export async function stopNginx(run: NginxRun): Promise<void> {
  if (!existsSync(run.pidFile)) return;
  const pid = Number(readFileSync(run.pidFile, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, 'SIGQUIT'); // graceful: finish requests, flush logs
  } catch {
    return; // already gone
  }
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  process.kill(pid, 'SIGKILL');
}
