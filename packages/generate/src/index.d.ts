/** What `renderSpec`, `generateSpec` and `checkSpec` take. */
export interface SpecOptions {
  /** The OpenAPI 3 spec (YAML or JSON) to generate from. */
  specPath: string;
  /** How headers and errors name the spec. Default: `specPath`. */
  specLabel?: string | undefined;
  /** What the headers tell a reader to run after editing the spec, e.g. `npx @payauth/generate my.yaml --out src/x`. */
  command: string;
  /** Whether to render `schemas.gen.ts` (validators on `@payauth/auth-core/validators`, and the scope list). Default false. */
  schemas?: boolean | undefined;
}

/** Where `generateSpec` and `checkSpec` put, or look for, the files. */
export interface OutputOptions extends SpecOptions {
  outDir: string;
}

/** A generated file, as a `[name, text]` pair: `openapi.gen.ts`, `operations.gen.ts`, `schemas.gen.ts`. */
export type RenderedFile = [name: string, text: string];

/** A file `checkSpec` found stale. */
export interface StaleFile {
  file: string;
  problem: "missing" | "differs";
}

/** The files a run can write, in order (`schemas.gen.ts` only with `schemas: true`). */
export declare const FILES: readonly string[];

/**
 * The generated files for a spec, without writing anything. Rejects with an Error whose message
 * names the spec and the JSON pointer of what it cannot represent (`my.yaml#/components/schemas/X: …`).
 */
export declare function renderSpec(options: SpecOptions): Promise<RenderedFile[]>;

/** Writes the generated files into `outDir` (created if missing); nothing on a refused spec. Resolves to the paths written. */
export declare function generateSpec(options: OutputOptions): Promise<string[]>;

/** Compares the generated files with those in `outDir`, writing nothing: the stale ones (none when up to date). */
export declare function checkSpec(options: OutputOptions): Promise<StaleFile[]>;

/** The two comment lines every generated file starts with. */
export declare function header(specLabel: string, command: string): string;

/** The body of an `operations.gen.ts` for a parsed OpenAPI document. Throws a `SpecError` on what it cannot represent. */
export declare function emitOperationScopes(doc: unknown, scopes?: readonly string[]): string;

/** An error about a spec as the generator reports it: `<spec>#<JSON pointer>: why`. */
export declare function refusal(specLabel: string, error: unknown): Error;

/** A spec the generator cannot represent: `pointer` (RFC 6901) says where. */
export declare class SpecError extends Error {
  constructor(pointer: string, reason: string);
  readonly pointer: string;
  readonly reason: string;
}
