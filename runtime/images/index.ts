/** The local image store and its contract with the process provider. */
export * from './types.ts';
export {
  LocalImageStore,
  openImageStore,
  type ImageSummary,
  type PutResult,
  type PutOutcome,
  type RemoveResult,
} from './store.ts';
export {
  parseImageReference,
  isValidImageReference,
  isMutableReference,
  type ImageReference,
} from './reference.ts';
