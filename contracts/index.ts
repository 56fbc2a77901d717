export * from './client-data.ts';
export * from './prediction.ts';
export * from './raw-record.ts';
export * from './batch.ts';
