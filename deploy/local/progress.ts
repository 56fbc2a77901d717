export type ServiceName = 'kafka' | 'influxdb' | 'prometheus' | 'alertmanager' | 'faas-cli';

export interface ProgressEvent {
  /** The service the event is about, or 'services' for the command as a whole. */
  service: ServiceName | 'services';
  /** step: something is happening; done: a step finished; warn: a problem that does not stop the command. */
  kind: 'step' | 'done' | 'warn';
  message: string;
}

export type ProgressListener = (event: ProgressEvent) => void;

export const silentProgress: ProgressListener = () => {};
