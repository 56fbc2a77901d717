// Entry of the docker shim: the shim is TypeScript; tsx compiles it on the fly, as bin/cdnfaas.mjs does.
import { register } from 'tsx/esm/api';

register();
await import('./shim.ts');
