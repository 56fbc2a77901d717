/**
 * Which files of a package an image needs. Native packages ship prebuilt binaries for every
 * platform (onnxruntime-node: 290 MB, of which linux/x64 is 45 MB); an image runs on the machine
 * that built it, so binaries for other systems and architectures, type declarations and source
 * maps stay out.
 */
const systems = new Set([
  'darwin',
  'win32',
  'linux',
  'freebsd',
  'openbsd',
  'netbsd',
  'sunos',
  'aix',
  'android',
]);
const architectures = new Set([
  'x64',
  'arm64',
  'arm',
  'ia32',
  'ppc64',
  's390x',
  'riscv64',
  'loong64',
  'mips',
  'mipsel',
]);

/** True when the path names a different OS, or this OS with a different CPU architecture. */
export function isForeignPlatformPath(path: string, platform: string, arch: string): boolean {
  const tokens = path.split('/').flatMap((segment) => segment.split('-'));
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i]!;
    if (!systems.has(token)) continue;
    if (token !== platform) return true;
    const next = tokens[i + 1];
    if (next !== undefined && architectures.has(next) && next !== arch) return true;
  }
  return false;
}

const unneededSuffixes = ['.d.ts', '.d.mts', '.d.cts', '.map', '.ts.map'];

/** Whether a file of an external package (path relative to the package root) goes into the image. */
export function isRuntimeFile(path: string, platform: string, arch: string): boolean {
  if (path.split('/').some((part) => part === 'node_modules' || part.startsWith('.'))) return false;
  if (unneededSuffixes.some((suffix) => path.endsWith(suffix))) return false;
  return !isForeignPlatformPath(path, platform, arch);
}
