import { CdnfaasError } from '../../lib/errors.ts';

/**
 * The docker command lines faas-cli runs, parsed. faas-cli build (and up) runs, in ./build/<fn>:
 *   docker build [--no-cache] [--squash] [--build-arg K=V]... [--label K=V]... [--pull] --tag IMAGE . [--secret id=..,src=..]
 * (older releases: `-t IMAGE .`), and faas-cli push runs `docker push IMAGE [--quiet]`.
 */
export type DockerInvocation =
  | {
      kind: 'build';
      tags: string[];
      context: string;
      buildArgs: Record<string, string>;
      labels: Record<string, string>;
    }
  | { kind: 'push'; image: string };

const supportedHint =
  'this docker is the cdnfaas shim (deploy/docker-shim): it knows `docker build` and `docker push` as faas-cli build/push/up run them, and never calls a real Docker; take deploy/docker-shim off PATH to use a real one';

/** Build flags that take a value, and what the shim does with it. */
const valueFlags = new Map<string, 'tag' | 'build-arg' | 'label' | 'ignore'>([
  ['-t', 'tag'],
  ['--tag', 'tag'],
  ['--build-arg', 'build-arg'],
  ['--label', 'label'],
  ['--secret', 'ignore'],
  ['--platform', 'ignore'],
  ['-f', 'ignore'],
  ['--file', 'ignore'],
  ['--target', 'ignore'],
  ['--ssh', 'ignore'],
]);
const switchFlags = new Set([
  '--no-cache',
  '--squash',
  '--pull',
  '-q',
  '--quiet',
  '--rm',
  '--force-rm',
  '--load',
]);

function unsupported(message: string): CdnfaasError {
  return new CdnfaasError('INVALID_INPUT', `cdnfaas docker shim: ${message}`, { hint: supportedHint });
}

function keyValue(flag: string, text: string): [string, string] {
  const equals = text.indexOf('=');
  if (equals <= 0) throw unsupported(`${flag} ${JSON.stringify(text)} is not KEY=VALUE`);
  return [text.slice(0, equals), text.slice(equals + 1)];
}

function parseBuild(args: string[]): DockerInvocation {
  const tags: string[] = [];
  const buildArgs: Record<string, string> = {};
  const labels: Record<string, string> = {};
  const positional: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    if (switchFlags.has(arg)) continue;
    const equals = arg.startsWith('-') ? arg.indexOf('=') : -1;
    const flag = equals > 0 ? arg.slice(0, equals) : arg;
    const role = valueFlags.get(flag);
    if (role !== undefined) {
      const value = equals > 0 ? arg.slice(equals + 1) : args[++i];
      if (value === undefined) throw unsupported(`docker build ${flag} needs a value`);
      if (role === 'tag') tags.push(value);
      else if (role === 'build-arg' || role === 'label') {
        const [key, text] = keyValue(flag, value);
        (role === 'build-arg' ? buildArgs : labels)[key] = text;
      }
      continue;
    }
    if (arg.startsWith('-') && arg !== '-') throw unsupported(`docker build flag ${arg} is not supported`);
    positional.push(arg);
  }
  if (positional.length !== 1)
    throw unsupported(
      `docker build needs exactly one build context, got ${positional.length}: ${positional.join(' ')}`,
    );
  if (positional[0] === '-')
    throw unsupported('docker build from stdin (-) is not supported; faas-cli passes a folder');
  if (tags.length === 0)
    throw unsupported('docker build needs --tag IMAGE: the image is stored under its tag');
  return { kind: 'build', tags, context: positional[0]!, buildArgs, labels };
}

function parsePush(args: string[]): DockerInvocation {
  const images = args.filter((arg) => arg !== '--quiet' && arg !== '-q' && arg !== '--all-tags=false');
  const flag = images.find((arg) => arg.startsWith('-'));
  if (flag !== undefined) throw unsupported(`docker push flag ${flag} is not supported`);
  if (images.length !== 1) throw unsupported(`docker push needs exactly one image, got ${images.length}`);
  return { kind: 'push', image: images[0]! };
}

/** Parses `docker <args>`; throws INVALID_INPUT with what the shim supports for anything else. */
export function parseDockerArgs(argv: string[]): DockerInvocation {
  // Global options before the command (e.g. --log-level) are not used by faas-cli.
  const [command, ...rest] = argv;
  if (command === 'build') return parseBuild(rest);
  if (command === 'push') return parsePush(rest);
  if (command === 'buildx')
    throw unsupported(
      'docker buildx (faas-cli publish) is not supported: use faas-cli up, or faas-cli build and push',
    );
  throw unsupported(command === undefined ? 'no command given' : `docker ${command} is not supported`);
}
