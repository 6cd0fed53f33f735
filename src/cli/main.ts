import type { Command } from './command';
import { UserError } from './user-error';

export type { Command } from './command';

const commands: Record<string, () => Promise<Command>> = {
  stack: async () => (await import('../stack/command')).stackCommand,
  fleet: async () => (await import('../fleet/command')).fleetCommand,
  simulate: async () => (await import('../simulator/command')).simulateCommand,
  trace: async () => (await import('../trace/command')).traceCommand,
  render: async () => (await import('../render/command')).renderCommand,
  demo: async () => (await import('../demo/command')).demoCommand,
  console: async () => (await import('../console/command')).consoleCommand,
  dashboards: async () => (await import('../dashboards-diff/command')).dashboardsCommand,
  generate: async () => (await import('../site/command')).generateCommand,
  verify: async () => (await import('../site/command')).verifyCommand,
};

function usage(): string {
  const lines = Object.keys(commands).map((name) => `  meshkit-rebalance-obs ${name} ...`);
  return ['usage:', ...lines].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  if (!verb || verb === '--help' || verb === '-h' || verb === 'help') {
    process.stdout.write(`${usage()}\n`);
    return verb ? 0 : 2;
  }
  const load = commands[verb];
  if (!load) {
    process.stderr.write(`meshkit-rebalance-obs: unknown command "${verb}"; run "meshkit-rebalance-obs --help" for the list.\n`);
    return 2;
  }
  try {
    return await (await load()).run(rest);
  } catch (error) {
    const message = error instanceof UserError ? error.message : `unexpected error: ${(error as Error)?.message ?? String(error)}`;
    process.stderr.write(`meshkit-rebalance-obs ${verb}: ${message}\n`);
    return error instanceof UserError ? error.exitCode : 1;
  }
}

/** Entry used by bin/: runs the verb and exits with its code. */
export function runCli(): void {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(`meshkit-rebalance-obs: ${(error as Error)?.message ?? String(error)}\n`);
      process.exit(1);
    },
  );
}
