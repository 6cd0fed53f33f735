/** One CLI verb: `run` receives the arguments after the verb and returns the exit code. */
export interface Command {
  summary: string;
  run(args: string[]): Promise<number>;
}
