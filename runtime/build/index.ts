/** The local build: stack.yml functions -> immutable images in the store (runtime/images). */
export { buildStack, type BuildEvent, type BuildStackOptions } from './build-stack.ts';
export { buildFunction, imageEntrypoint, type BuiltFunction } from './build-function.ts';
export {
  carriesModel,
  checkModelImage,
  faasCliUpCommand,
  modelAnnotation,
  modelImageEnv,
  modelImages,
  modelNameVariable,
  modelTagVariable,
  type ModelImage,
} from './model-image.ts';
