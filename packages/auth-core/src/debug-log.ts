import type { AuthEvent, Instrument, Logger } from "./types.js";

/** `DEBUG` (`*` for `PAYAUTH_DEBUG`), read once; `""` when neither is set. */
let patterns: string | undefined;

/**
 * Whether the environment asks for the debug lines of `provider`: `PAYAUTH_DEBUG` set to
 * anything but `0` or `false`, or `DEBUG` (the `debug` package's variable, comma- or
 * space-separated) naming `*`, `payauth*`, `payauth:*` or `payauth:<provider>`. Read once, through
 * `globalThis.process?.env` only: where there is no `process`, or its environment may not be read
 * (Deno without `--allow-env`), none.
 */
export function debugEnabled(provider: string): boolean {
  if (patterns === undefined) {
    try {
      const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
      patterns = /^(?!0$|false$)./i.test(env?.["PAYAUTH_DEBUG"] ?? "") ? "*" : (env?.["DEBUG"] ?? "");
    } catch {
      patterns = "";
    }
  }
  return patterns !== "" && RegExp(`(^|[\\s,])(\\*|payauth(\\*|:\\*|:${provider}))($|[\\s,])`).test(patterns);
}

/** Forgets what the environment said (tests change it). */
export function resetDebugEnv(): void {
  patterns = undefined;
}

/** One line for `event`: `payauth:<provider> <type> {…its other fields as JSON}`. */
export function formatEvent({ type, provider, ...fields }: AuthEvent): string {
  return `payauth:${provider} ${type} ${JSON.stringify(fields)}`;
}

/**
 * The `onEvent` a token manager calls: the user's, the instrument's (for metrics) and a logger's,
 * each on its own (one that throws does not stop the others). The logger is `logger` (`error`
 * for a failed acquisition, `warn` for other trouble: a stale token, a refusal, an opened circuit,
 * a store failure or unreadable value; `debug` for the rest), else stderr (`console.error`, the
 * time first) when `PAYAUTH_DEBUG` or `DEBUG` asks for it. Nothing asked for: `onEvent` as it is.
 */
export function observers(
  provider: string,
  { onEvent, logger, instrument }: { onEvent?: ((event: AuthEvent) => void) | undefined; logger?: Logger | undefined; instrument?: Instrument | undefined },
): ((event: AuthEvent) => void) | undefined {
  const log = logger
    ? (event: AuthEvent) => logger[/request-f/.test(event.type) ? "error" : /fail|stale|refus|undec|open/.test(event.type) ? "warn" : "debug"](formatEvent(event))
    : debugEnabled(provider)
      ? (event: AuthEvent) => console.error(`${new Date().toISOString()} ${formatEvent(event)}`)
      : undefined;
  const hooks = [onEvent, instrument?.onEvent, log];
  return log || hooks[1]
    ? (event) => {
        for (const hook of hooks) {
          try {
            hook?.(event);
          } catch {
            // An observer's failure must not break token handling, nor the other observers.
          }
        }
      }
    : onEvent;
}
