import { z } from 'zod';

/**
 * A stage input that also takes its record as JSON text. `faas-cli invoke` sends the body as
 * text/plain unless told otherwise, so the template hands the handler a string (or a Buffer for
 * other types); a record that arrives that way is parsed before it is validated. Values that are
 * already parsed (every connector batch) pass through untouched.
 */
export function acceptJsonText<T>(schema: z.ZodType<T>): z.ZodType<T> {
  return z
    .unknown()
    .transform((value, ctx) => {
      if (typeof value !== 'string' && !Buffer.isBuffer(value)) return value;
      try {
        return JSON.parse(value.toString()) as unknown;
      } catch (error) {
        ctx.issues.push({ code: 'custom', message: `not JSON: ${(error as Error).message}`, input: value });
        return z.NEVER;
      }
    })
    .pipe(schema) as unknown as z.ZodType<T>;
}
