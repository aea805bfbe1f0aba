import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Runs a command when its file is the one Node was started with (`tsx server/src/cli/x.ts`), not when a
 * test imports it: exits with the command's code, or 1 after printing an unexpected error.
 */
export function runIfMain(moduleUrl: string, command: () => Promise<number>): void {
  if (!process.argv[1] || moduleUrl !== pathToFileURL(path.resolve(process.argv[1])).href) return;
  command().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
