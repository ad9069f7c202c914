import type { CustomScope } from "./types.js";

/**
 * Marks `scope` as a scope the provider added after this package was published, so it can be
 * requested or checked: `scopes: ["invoices:read", customScope("refunds:read")]`.
 */
export function customScope(scope: string): CustomScope {
  if (typeof scope !== "string" || !/^\S+$/.test(scope)) {
    throw new TypeError("@payauth/auth-core: customScope() takes one scope: a non-empty string without white space");
  }
  return scope as CustomScope;
}
