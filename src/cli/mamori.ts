// The `mamori` command: one entry point, each sub-command lives in its feature folder
// and exports `run(args): Promise<number>` (the process exit code).
// Exit codes (a contract external checks rely on): 0 all clear, 1 findings / policy violated, 2 usage or input error.

type Command = { summary: string; load: () => Promise<{ run(args: string[]): Promise<number> }> };

const COMMANDS: Record<string, Command> = {
  inventory: { summary: 'list what this system really runs (Node, OpenSSL, npm and OS packages, database)', load: () => import('../inventory/cli.ts') },
  advisories: { summary: 'import or update advisory data (OSV, CVE JSON 5)', load: () => import('../advisories/cli.ts') },
  check: { summary: 'the deploy gate: inventory + advisories + policy; non-zero exit on violation', load: () => import('../policy/cli.ts') },
  scan: { summary: 'ASV-style external scan of URLs you are allowed to test (TLS, Heartbleed, headers, exposed files)', load: () => import('../scanner/cli.ts') },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(11)} ${c.summary}`);
  return ['usage: mamori <command> [options]', '', 'commands:', ...lines, '', 'Run `mamori <command> --help` for the options of one command.'].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage() + '\n');
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`mamori: unknown command '${name}'\n\n${usage()}\n`);
    return 2;
  }
  const mod = await command.load();
  return mod.run(rest);
}

// Run when executed directly (npm run mamori / bin/mamori.js), not when imported by tests.
if (import.meta.url === `file://${process.argv[1]}` || process.env.MAMORI_CLI_MAIN === '1') {
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (err: unknown) => {
      process.stderr.write(`mamori: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 2;
    },
  );
}
