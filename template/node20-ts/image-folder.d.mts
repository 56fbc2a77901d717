// Types of image-folder.mjs (plain JavaScript so that the container's build stage runs it with node alone).
import type { ExternalPackage, PackagePlacement } from './native-packages.mjs';

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
export function isExtraFile(path: string): boolean;
export function listExtraFiles(handlerDir: string, prefix?: string, depth?: number): string[];
export function copyFiles(sourceDir: string, targetDir: string, paths: string[]): void;
