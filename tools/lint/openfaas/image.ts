import { finding, perFunction } from './finding.ts';
import type { Rule } from '../types.ts';

export const imageRule: Rule = {
  id: 'image',
  summary:
    'every function has an image; a tag other than latest (a moving tag is a warning: it cannot be rolled back)',
  check: perFunction((fn) => {
    if (fn.image === undefined || fn.image === '') {
      return [
        finding(
          'image',
          'error',
          fn,
          'no image',
          'faas-netes refuses a deployment without an image ("image: is required")',
        ),
      ];
    }
    if (fn.image.includes('@')) return [];
    const lastSegment = fn.image.split('/').at(-1) ?? fn.image;
    const tag = lastSegment.includes(':') ? lastSegment.slice(lastSegment.indexOf(':') + 1) : undefined;
    // OpenFaaS CE deploys a moving tag (faas-cli and the gateway accept it), so this is a
    // warning: the deploy works, only a rollback by tag does not.
    if (tag === undefined || tag === 'latest') {
      return [
        finding(
          'image',
          'warning',
          fn,
          tag === undefined
            ? `image "${fn.image}" has no tag (faas-cli makes it :latest)`
            : `image "${fn.image}" uses the latest tag`,
          'a moving tag cannot be rolled back and Kubernetes re-pulls it on every start; give each build its own tag (e.g. 0.2.0) and roll back by deploying the previous one',
        ),
      ];
    }
    return [];
  }),
};
