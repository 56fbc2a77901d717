// Types of image-folder.mjs (plain JavaScript so that the container's build stage runs it with node alone).
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

interface PackageJson {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

export interface ImageFolderInput {
  /** Paths in the bundles (source map sources, comments) are relative to this folder. */
  workingDir: string;
  /** The template's server entry, e.g. template/node20-ts/index.ts. */
  serverEntry: string;
  /** The handler module; none for the classic template, whose function is a program. */
  handlerEntry?: string;
  /** The handler folder, whose `extras` are copied under function/. */
  handlerDir: string;
  /** Files of the handler folder to ship, relative to it (listExtraFiles, or every file for classic). */
  extras: string[];
  outDir: string;
}

export interface ImageFolder {
  /** Bundle files written, relative to outDir. */
  bundles: string[];
  /** Native packages the handler imports. */
  externals: ExternalPackage[];
  /** Where they and their dependencies went. */
  packages: PackagePlacement[];
}

export class BundleError extends Error {
  readonly what: string;
  /** esbuild's messages, `file:line:column: text`. */
  readonly errors: string[];
}

/** A handler folder file named like a bundle output (function/handler.mjs). */
export class NameClashError extends Error {
  readonly path: string;
}

export function buildImageFolder(input: ImageFolderInput): Promise<ImageFolder>;
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
export function isExtraFile(path: string): boolean;
export function listExtraFiles(handlerDir: string, prefix?: string, depth?: number): string[];
export function copyFiles(sourceDir: string, targetDir: string, paths: string[]): void;
