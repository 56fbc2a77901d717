// Types of native-packages.mjs (plain JavaScript so that the container's build stage runs it with node alone).
import type { Plugin } from 'esbuild';

export interface ExternalPackage {
  name: string;
  /** The package's folder in node_modules. */
  dir: string;
}

export interface PackagePlacement {
  name: string;
  sourceDir: string;
  /** Where it goes inside the image, e.g. `node_modules/onnxruntime-node`. */
  target: string;
}

export interface PackageJson {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

export function packageNameOf(specifier: string): string;
export function findPackageDir(name: string, fromDir: string): string | undefined;
export function isNativePackage(packageDir: string): boolean;
export function nativeExternalsPlugin(found: Map<string, ExternalPackage>): Plugin;
export function planPackages(
  roots: ExternalPackage[],
  readManifest?: (dir: string) => PackageJson,
  find?: (name: string, fromDir: string) => string | undefined,
): PackagePlacement[];
export function isForeignPlatformPath(path: string, platform: string, arch: string): boolean;
export function isRuntimeFile(path: string, platform: string, arch: string): boolean;
export function listPackageFiles(
  packageDir: string,
  platform?: string,
  arch?: string,
  prefix?: string,
): string[];
