// The `mamori` command: one entry point, each sub-command lives in its feature folder
// and exports `run(args): Promise<number>` (the process exit code).
// Exit codes (a contract external checks rely on): 0 all clear, 1 findings / policy violated, 2 usage or input error.

type Command = { summary: string; load: () => Promise<{ run(args: string[]): Promise<number> }> };

const COMMANDS: Record<string, Command> = {
  inventory: { summary: 'list what this system really runs (Node, OpenSSL, npm and OS packages, database)', load: () => import('../inventory/cli.ts') },
  advisories: { summary: 'import or update advisory data (OSV, CVE JSON 5)', load: () => import('../advisories/cli.ts') },
  check: { summary: 'the deploy gate: inventory + advisories + policy; non-zero exit on violation', load: () => import('../policy/cli.ts') },
  'page-watch': { summary: 'check the way to the payment page against its approved baseline, or approve the current one', load: () => import('../page-watch/cli.ts') },
  'malware-scan': { summary: 'scan the install and data directories (or PATHS) for malware with clamd', load: () => import('../malware-scan/cli.ts') },
  integrity: { summary: 'verify the installed files against their authenticated manifest, record the first one, or approve a deploy', load: () => import('../integrity/cli.ts') },
  shop: { summary: 'the kill switch: stop the storefront or card payments, resume, show status (audited as cli:<user>)', load: () => import('../shop-pause/shop-cli.ts') },
  'pan-scan': { summary: 'search the database, logs, outbox and data directory for stored card numbers (masked findings)', load: () => import('../pan-scan/cli.ts') },
  backup: { summary: 'write one archive of the running shop: database, media, audit anchors, with SHA-256 manifest', load: () => import('../backup/backup-cli.ts') },
  restore: { summary: 'restore a backup archive into an empty data directory and database (checked against its manifest)', load: () => import('../backup/restore-cli.ts') },
  scan: { summary: 'ASV-style external scan of URLs you are allowed to test (TLS, Heartbleed, headers, exposed files)', load: () => import('../scanner/cli.ts') },
  // Monthly security report (issue 14): `report monthly [--month YYYY-MM] [--format html|pdf|json]`.
  report: { summary: 'the monthly security report of what the shop recorded (html, pdf or json)', load: () => import('../monthly-report/cli.ts') },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)} ${c.summary}`);
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
  // A bad setting stops every command with one line naming the variable, as it stops the shop.
  // Loaded here, not at the top: `mamori --help` starts without zod and the config schema.
  const { loadConfig } = await import('../config/config.ts');
  const loaded = loadConfig();
  if (!loaded.ok) {
    process.stderr.write(`mamori: invalid configuration: ${loaded.errors.join('; ')}\n`);
    return 2;
  }
  const mod = await command.load();
  return mod.run(rest);
}

/** Runs the command line of this process (npm run mamori, bin/mamori.js). */
export function runAsProcess(): void {
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (err: unknown) => {
      process.stderr.write(`mamori: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 2;
    },
  );
}

// Executed directly (npm run mamori), not imported by tests or by bin/mamori.js.
if (import.meta.url === `file://${process.argv[1]}`) runAsProcess();
