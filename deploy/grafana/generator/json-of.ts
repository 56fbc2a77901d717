/**
 * The JSON form of a Grafana foundation SDK type: what a dashboard file can hold. Methods
 * (the SDK's `_implementsDataqueryVariant` marker) are dropped and string enums become their
 * literal values, so a JSON literal can be checked against the SDK's own types.
 */
export type JsonOf<T> = unknown extends T
  ? T
  : T extends (...args: never[]) => unknown
    ? never
    : T extends string
      ? `${T}`
      : T extends number
        ? number
        : T extends boolean
          ? boolean
          : T extends null | undefined
            ? T
            : T extends readonly (infer U)[]
              ? JsonOf<U>[]
              : T extends object
                ? { [K in keyof T as T[K] extends (...args: never[]) => unknown ? never : K]: JsonOf<T[K]> }
                : T;
