// Building the Java exactly-once anchor: the Maven project in ./java-eos/ is copied into the cache
// and built there once per content hash, so the working tree never gets a target/ folder and a
// later run skips the build.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { delimiter, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withFileLock } from '../../deploy/local/lock.ts';
import { runLogged } from '../../deploy/local/run-command.ts';

export const sourcesDir = fileURLToPath(new URL('./java-eos/', import.meta.url));
const mvn = process.platform === 'win32' ? 'mvn.cmd' : 'mvn';

/** Every file of the Maven project except build output, as paths relative to it, sorted. */
export function listSources(dir: string): string[] {
  const walk = (folder: string): string[] =>
    readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) return entry.name === 'target' ? [] : walk(path);
      return entry.isFile() ? [relative(dir, path).split('\\').join('/')] : [];
    });
  return walk(dir).sort();
}

/** The cache key: any change to a source file or its name is a new build. */
export function sourcesHash(files: Array<{ path: string; content: Buffer | string }>): string {
  const hash = createHash('sha256');
  for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    hash.update(`${file.path}\0${Buffer.byteLength(file.content)}\0`);
    hash.update(file.content);
  }
  return hash.digest('hex').slice(0, 16);
}

export function anchorPaths(cacheDir: string, hash: string) {
  const dir = join(cacheDir, 'bench', 'java-eos', hash);
  return {
    dir,
    partial: `${dir}.partial`,
    lock: `${dir}.lock`,
    jar: join(dir, 'target', 'java-eos-anchor.jar'),
    libs: join(dir, 'target', 'lib'),
    buildLog: join(dir, 'build.log'),
  };
}

/** The program's jar and its runtime jars; `java` expands the `lib/*` wildcard itself. */
export function anchorClasspath(paths: { jar: string; libs: string }): string {
  return [paths.jar, join(paths.libs, '*')].join(delimiter);
}

/** The built program, from the cache when these sources were built before. */
export async function buildAnchor(cacheDir: string, say: (line: string) => void) {
  const files = listSources(sourcesDir);
  const hash = sourcesHash(files.map((path) => ({ path, content: readFileSync(join(sourcesDir, path)) })));
  const paths = anchorPaths(cacheDir, hash);
  // Two bench runs at once build one copy; the second waits and then finds it.
  return withFileLock(paths.lock, { timeoutMs: 20 * 60_000 }, async () => {
    if (existsSync(paths.jar)) return paths;
    say(`  java-eos: building ${sourcesDir} with mvn (first run only) into ${paths.dir}`);
    // Built in a scratch copy renamed at the end, so a half-done build is never taken for a finished one.
    rmSync(paths.partial, { recursive: true, force: true });
    mkdirSync(paths.partial, { recursive: true });
    for (const file of files) cpSync(join(sourcesDir, file), join(paths.partial, file));
    await runLogged({
      command: mvn,
      args: ['-q', '-B', 'package'],
      cwd: paths.partial,
      logFile: join(paths.partial, 'build.log'),
      what: 'building the Java exactly-once anchor',
      timeoutMs: 15 * 60_000,
      onHeartbeat: (elapsed) => say(`  java-eos: still building (${Math.round(elapsed / 1000)} s)`),
      installHint:
        'install Apache Maven 3.6+ and a JDK 17 (Debian: apt-get install maven openjdk-17-jdk-headless)',
    });
    rmSync(paths.dir, { recursive: true, force: true });
    renameSync(paths.partial, paths.dir);
    return paths;
  });
}
