export type ServiceName = 'kafka' | 'influxdb' | 'faas-cli';

export interface ProgressEvent {
  service: ServiceName;
  /** step: something is happening; done: a step finished; warn: a problem that does not stop the command. */
  kind: 'step' | 'done' | 'warn';
  message: string;
}

export type ProgressListener = (event: ProgressEvent) => void;

export const silentProgress: ProgressListener = () => {};
