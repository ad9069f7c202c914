import type { AuthEvent, Instrument, Logger } from "./types.js";

/** The level of each event's line; any other event is a `warn`. */
const LEVELS: Readonly<Record<string, keyof Logger>> = {
  "token-fetched": "debug",
  "request-replayed": "debug",
  "token-request-retried": "info",
  "scope-check-refused": "info",
  "token-request-failed": "error",
};

/** `PAYAUTH_DEBUG` / `DEBUG` as read once: `null` when neither asks for payauth's lines. */
let fromEnv: { all: boolean; debug: string | undefined } | null | undefined;

/**
 * Whether the environment asks for the debug lines of `namespace` (`payauth:<provider>`):
 * `PAYAUTH_DEBUG` set to anything but `0`/`false`, or `DEBUG` as the `debug` package reads it
 * (patterns separated by commas or spaces, `*` a wildcard, `-` excluding: `payauth*`,
 * `payauth:maxpay`, `*,-payauth:payme`). Read once; never touches `process` where there is none.
 */
export function debugEnabled(namespace: string): boolean {
  if (fromEnv === undefined) {
    let env: Record<string, string | undefined> | undefined;
    try {
      env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
      fromEnv = { all: /^(?!0$|false$|no$|off$)./i.test(env?.PAYAUTH_DEBUG ?? ""), debug: env?.DEBUG };
    } catch {
      // An environment that may not be read (Deno without --allow-env): no debug lines.
      fromEnv = null;
    }
  }
  if (fromEnv === null) return false;
  if (fromEnv.all) return true;
  let on = false;
  for (const pattern of (fromEnv.debug ?? "").split(/[\s,]+/)) {
    const skip = pattern.startsWith("-");
    const glob = new RegExp(`^${pattern.slice(+skip).replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`);
    if (pattern !== "" && glob.test(namespace)) {
      if (skip) return false;
      on = true;
    }
  }
  return on;
}

/** Forgets what the environment said (tests change it). */
export function resetDebugEnv(): void {
  fromEnv = undefined;
}

/** One line for `event`: its type, then `name=value` for each field (strings with spaces quoted). */
export function formatEvent(event: AuthEvent): string {
  let line = `payauth:${event.provider} ${event.type}`;
  for (const [name, value] of Object.entries(event)) {
    if (name === "type" || name === "provider" || value === undefined) continue;
    const text = typeof value === "number" ? String(Math.round(value)) : typeof value === "string" ? (/[\s"=]/.test(value) ? JSON.stringify(value) : value) : JSON.stringify(value);
    line += ` ${name}=${text}`;
  }
  return line;
}

/** Payauth's own debug logger: each line to stderr (`console.error`), with the time first. */
const stderr: Logger = {
  debug: (line) => console.error(`${new Date().toISOString()} ${line}`),
  info: (line) => stderr.debug(line),
  warn: (line) => stderr.debug(line),
  error: (line) => stderr.debug(line),
};

/**
 * The `onEvent` a token manager calls: the user's, the instrument's (`@payauth/opentelemetry`'s
 * metrics) and a logger's, each on its own (one that throws does not stop the others). The
 * logger is `logger`, else payauth's stderr lines when `PAYAUTH_DEBUG` or `DEBUG` asks for them.
 * Nothing asked for: the user's `onEvent` as it is.
 */
export function observers(
  provider: string,
  options: { onEvent?: ((event: AuthEvent) => void) | undefined; logger?: Logger | undefined; instrument?: Instrument | undefined },
): ((event: AuthEvent) => void) | undefined {
  const { onEvent } = options;
  const metrics = options.instrument?.onEvent;
  const logger = options.logger ?? (debugEnabled(`payauth:${provider}`) ? stderr : undefined);
  if (metrics === undefined && logger === undefined) return onEvent;
  const hooks = [onEvent, metrics, logger && ((event: AuthEvent) => logger[LEVELS[event.type] ?? "warn"](formatEvent(event)))];
  return (event) => {
    for (const hook of hooks) {
      try {
        hook?.(event);
      } catch {
        // An observer's failure must not break token handling, nor the other observers.
      }
    }
  };
}
