/** The local build: stack.yml functions -> immutable images in the store (runtime/images). */
export { buildStack, type BuildEvent, type BuildStackOptions } from './build-stack.ts';
export { buildFunction, imageEntrypoint, type BuiltFunction } from './build-function.ts';
