// `mamori backup` entry (src/cli/mamori.ts loads one module per command).
import { runBackupCommand } from './cli.ts';

export const run = (args: string[]): Promise<number> => runBackupCommand(args);
