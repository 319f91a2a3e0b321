/**
 * `embodied serve`: the web page (web/) on localhost. Builds it with Vite when the build is
 * missing or older than its sources (Vite is a dev dependency: an installed package ships the
 * built page in web/dist), then serves the files with a small static server. Only files under
 * web/dist are served; the page itself fetches nothing but its own files.
 */
import { createReadStream, existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Command } from 'commander';

/** The package root: one level above src/ (tsx, tests) or two above dist/src/ (built CLI). */
function packageRoot(): string {
  for (const up of ['../../', '../../../']) {
    const root = fileURLToPath(new URL(up, import.meta.url));
    if (existsSync(join(root, 'package.json')) && existsSync(join(root, 'web'))) return root;
  }
  throw new Error('embodied serve: the web/ folder of the package was not found (is the package installed completely?)');
}

export const pagePaths = () => {
  const root = packageRoot();
  return { root, web: join(root, 'web'), dist: join(root, 'web', 'dist'), config: join(root, 'web', 'vite.config.ts') };
};

function newestMtime(dir: string): number {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'dist' || e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Why the page needs a (re)build, or null when web/dist is up to date. */
export function buildReason(): string | null {
  const { root, web, dist } = pagePaths();
  const index = join(dist, 'index.html');
  if (!existsSync(index)) return 'no build yet';
  const built = statSync(index).mtimeMs;
  const sources = Math.max(newestMtime(web), newestMtime(join(root, 'src')), newestMtime(join(root, 'data')));
  return sources > built ? 'sources changed since the last build' : null;
}

/** Builds the page into web/dist with Vite (a dev dependency). */
export async function buildPage(opts: { quiet?: boolean } = {}): Promise<string> {
  const { root, config, dist } = pagePaths();
  if (!existsSync(join(root, 'src', 'kernel', 'embodied.wasm'))) {
    throw new Error('src/kernel/embodied.wasm is missing: run `npm run build:wasm` first');
  }
  let vite: typeof import('vite');
  try {
    vite = await import('vite');
  } catch {
    throw new Error(
      'building the page needs Vite (a dev dependency): run `npm install` in the package, or use a package with web/dist built',
    );
  }
  await vite.build({ configFile: config, logLevel: opts.quiet ? 'error' : 'info' });
  return dist;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.csv': 'text/csv; charset=utf-8',
  '.ico': 'image/x-icon',
};

export interface StaticServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** Serves `dir` read-only on host:port (port 0: a free one). */
export function serveStatic(dir: string, opts: { host?: string; port?: number } = {}): Promise<StaticServer> {
  const root = resolve(dir);
  const server = createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    let rel: string;
    try {
      rel = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (rel.endsWith('/')) rel += 'index.html';
    const file = normalize(join(root, rel));
    if (!(file === root || file.startsWith(root + sep)) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    res.writeHead(200, {
      'Content-Type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': statSync(file).size,
      'Cache-Control': 'no-cache',
      'X-Content-Type-Options': 'nosniff',
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      const a = server.address() as AddressInfo;
      const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
      resolvePromise({
        url: `http://${host}:${a.port}/`,
        server,
        close: () => new Promise<void>((r) => server.close(() => r())),
      });
    });
  });
}

interface ServeFlags {
  port: string;
  host: string;
  build?: boolean;
}

export async function serveCommand(flags: ServeFlags): Promise<StaticServer> {
  const port = Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port ${flags.port}: expected a port number 0..65535`);
  const { dist } = pagePaths();
  const reason = flags.build ? 'asked with --build' : buildReason();
  if (reason) {
    let canBuild = true;
    try {
      await import('vite');
    } catch {
      canBuild = false;
    }
    if (canBuild) {
      process.stdout.write(`building the page (${reason})…\n`);
      await buildPage({ quiet: true });
    } else if (!existsSync(join(dist, 'index.html'))) {
      throw new Error('the page is not built and Vite is not installed: run `npm install` then `npm run web:build`');
    }
  }
  const s = await serveStatic(dist, { host: flags.host, port });
  process.stdout.write(`embodied: serving the page at ${s.url} (Ctrl+C to stop)\n`);
  return s;
}

export function register(program: Command): void {
  program
    .command('serve')
    .description('serve the web page (map, charts, live options) on localhost; builds it first if needed')
    .option('-p, --port <port>', 'port (0: any free port)', '5173')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--build', 'rebuild the page even if the build looks up to date')
    .action(async (flags: ServeFlags) => {
      const s = await serveCommand(flags);
      await new Promise<void>((done) => {
        const stop = () => void s.close().then(done);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}

// Run directly (`npm run web:serve`, i.e. `tsx src/cli/serve.ts [--port N]`): the same as `embodied serve`.
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  const { Command } = await import('commander');
  const program = new Command('embodied');
  register(program);
  await program.parseAsync(['serve', ...process.argv.slice(2)], { from: 'user' }).catch((err: unknown) => {
    process.stderr.write(`embodied serve: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
