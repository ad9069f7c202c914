/** The text `payauth-generate --help` prints. */
export declare const USAGE: string;

/** Where `main` writes: `process.stdout` and `process.stderr` by default. */
export interface Output {
  write(text: string): unknown;
}

/** Runs the `payauth-generate` command line `argv` (without node and the script); resolves to the exit code. */
export declare function main(argv: readonly string[], io?: { stdout?: Output; stderr?: Output }): Promise<number>;
