import { finding, perFunction } from './finding.ts';
import type { Finding, Rule } from '../types.ts';

export const templateRule: Rule = {
  id: 'template',
  summary: 'lang names a template in ./template and handler is an existing folder',
  check: perFunction((fn, context) => {
    const findings: Finding[] = [];
    if (fn.lang === undefined || fn.lang === '') {
      findings.push(
        finding(
          'template',
          'error',
          fn,
          'no lang',
          'faas-cli build needs the template name (lang) to build the image',
        ),
      );
    } else if (fn.lang.toLowerCase() !== 'dockerfile' && !context.templates.includes(fn.lang)) {
      findings.push(
        finding(
          'template',
          'error',
          fn,
          `unknown lang "${fn.lang}" (templates here: ${context.templates.join(', ') || 'none'})`,
          'faas-cli build looks for ./template/<lang>/template.yml and stops when it is missing',
        ),
      );
    } else if (fn.lang.toLowerCase() !== 'dockerfile' && !context.templateHasManifest(fn.lang)) {
      findings.push(
        finding(
          'template',
          'warning',
          fn,
          `template ${fn.lang} has no template.yml yet`,
          `faas-cli build and deploy read ./template/${fn.lang}/template.yml (fprocess, build options) and stop without it`,
        ),
      );
    }
    if (fn.handler === undefined || fn.handler === '') {
      findings.push(
        finding(
          'template',
          'error',
          fn,
          'no handler',
          'faas-cli build copies the handler folder into the image',
        ),
      );
    } else if (!context.handlerExists(fn.handler)) {
      findings.push(
        finding(
          'template',
          'error',
          fn,
          `handler folder "${fn.handler}" does not exist`,
          'faas-cli build copies the handler folder into the image',
        ),
      );
    }
    return findings;
  }),
};
