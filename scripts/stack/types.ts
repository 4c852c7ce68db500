/** The embedded servers of the stack, in start order. */
export const serverNames = ['postgres', 'ferretdb', 'mailpit', 'temporal'] as const;
export type ServerName = (typeof serverNames)[number];

/**
 * A started server as plain JSON, so that another process (a jest worker, the next `npm start`)
 * can stop or restart it from the stack handle file by pid, with the same options.
 */
export interface RunningServer<N extends ServerName, O> {
  name: N;
  pid: number;
  /** A word of the process's command line, checked before signalling a pid read from a file. */
  exe: string;
  logFile: string;
  options: O;
}

export const defaultHost = '127.0.0.1';
