// The two shapes every part of the report shares, apart from the modules that fill them, so that
// the report model, the figure readers and the real-time figures import them without a cycle.

/** A part that was measured, or why it was not (never an invented figure). */
export type Measured<T> = ({ status: 'measured' } & T) | { status: 'missing'; reason: string };

// The other benchmarks' JSON has no shared schema: keys are read where they are expected, and a
// key that is not there gives a missing figure, never a zero.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;
