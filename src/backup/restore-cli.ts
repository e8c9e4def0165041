// `mamori restore` entry (src/cli/mamori.ts loads one module per command).
import { runRestoreCommand } from './cli.ts';

export const run = (args: string[]): Promise<number> => runRestoreCommand(args);
