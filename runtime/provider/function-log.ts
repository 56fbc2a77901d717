import { createWriteStream, mkdirSync, openSync, renameSync, statSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import type { LogMessage, LogQuery, LogStream } from './types.ts';

export interface FunctionLogOptions {
  name: string;
  namespace: string;
  /** Messages kept in memory for /system/logs. */
  capacity: number;
  /** ndjson file every message is appended to; rotated to `<file>.1` past maxFileBytes. */
  file?: string;
  maxFileBytes: number;
}

/** The messages of a query, oldest first: instance and since filter, then the last `tail`. */
export function selectLogs(
  messages: readonly LogMessage[],
  query: Omit<LogQuery, 'name' | 'follow'>,
): LogMessage[] {
  const sinceMs = query.since?.getTime();
  const selected = messages.filter(
    (message) =>
      (query.instance === undefined || message.instance === query.instance) &&
      (sinceMs === undefined || Date.parse(message.timestamp) >= sinceMs),
  );
  return query.tail !== undefined && query.tail > 0 ? selected.slice(-query.tail) : selected;
}

export function matchesQuery(message: LogMessage, query: Omit<LogQuery, 'name' | 'follow'>): boolean {
  return query.instance === undefined || message.instance === query.instance;
}

/**
 * The log of one function: a bounded ring of recent messages from all its replicas, an ndjson file
 * on disk, and live listeners for `follow`. Appending never blocks on a slow reader.
 */
export class FunctionLog {
  private readonly ring: LogMessage[] = [];
  private head = 0;
  private readonly listeners = new Set<{ listener: (message: LogMessage) => void; onEnd: () => void }>();
  private file: WriteStream | undefined;
  private fileBytes = 0;
  private closed = false;

  constructor(private readonly options: FunctionLogOptions) {
    if (options.file !== undefined) this.openFile(options.file);
  }

  append(instance: string, text: string, at: Date = new Date()): void {
    if (this.closed) return;
    const message: LogMessage = {
      name: this.options.name,
      namespace: this.options.namespace,
      instance,
      timestamp: at.toISOString(),
      text,
    };
    if (this.ring.length < this.options.capacity) this.ring.push(message);
    else {
      this.ring[this.head] = message;
      this.head = (this.head + 1) % this.options.capacity;
    }
    this.writeFile(message);
    for (const { listener } of this.listeners) listener(message);
  }

  /** Messages in arrival order. */
  messages(): LogMessage[] {
    return [...this.ring.slice(this.head), ...this.ring.slice(0, this.head)];
  }

  stream(query: LogQuery): LogStream {
    return {
      history: selectLogs(this.messages(), query),
      subscribe: (listener, onEnd) => {
        if (this.closed) {
          onEnd();
          return () => {};
        }
        const entry = {
          listener: (message: LogMessage) => matchesQuery(message, query) && listener(message),
          onEnd,
        };
        this.listeners.add(entry);
        return () => this.listeners.delete(entry);
      },
    };
  }

  /** Ends every follower and closes the file. */
  close(): void {
    this.closed = true;
    for (const { onEnd } of this.listeners) onEnd();
    this.listeners.clear();
    this.file?.end();
    this.file = undefined;
  }

  private openFile(file: string): void {
    mkdirSync(dirname(file), { recursive: true });
    try {
      this.fileBytes = statSync(file).size;
    } catch {
      this.fileBytes = 0;
    }
    // Opened synchronously so that a rotation right after never renames a file not yet opened.
    this.file = createWriteStream(file, { fd: openSync(file, 'a') });
    // A full disk must not take the gateway down; the in-memory log still works.
    this.file.on('error', () => {
      this.file = undefined;
    });
  }

  private writeFile(message: LogMessage): void {
    if (this.file === undefined || this.options.file === undefined) return;
    const line = `${JSON.stringify(message)}\n`;
    this.file.write(line);
    this.fileBytes += Buffer.byteLength(line);
    if (this.fileBytes > this.options.maxFileBytes) {
      const file = this.options.file;
      this.file.end();
      try {
        renameSync(file, `${file}.1`);
      } catch {
        // Rotation is best effort; a new file is opened either way.
      }
      this.openFile(file);
    }
  }
}

/** Splits a byte stream into lines; over-long lines are cut at maxLength so memory stays bounded. */
export function lineSplitter(
  onLine: (line: string) => void,
  maxLength = 16_384,
): { push(chunk: Buffer): void; flush(): void } {
  let pending = '';
  return {
    push(chunk) {
      pending += chunk.toString('utf8');
      let newline = pending.indexOf('\n');
      while (newline >= 0) {
        onLine(pending.slice(0, newline).replace(/\r$/, ''));
        pending = pending.slice(newline + 1);
        newline = pending.indexOf('\n');
      }
      while (pending.length > maxLength) {
        onLine(pending.slice(0, maxLength));
        pending = pending.slice(maxLength);
      }
    },
    flush() {
      if (pending.length > 0) onLine(pending);
      pending = '';
    },
  };
}
