import { AuthError, isAuthError } from "../auth-error.js";

/**
 * The `AuthError` that `promise` rejects with. Throws if it resolves, or rejects with
 * anything else, so a test that expects a typed failure cannot pass without one.
 */
export async function catchAuthError(promise: Promise<unknown>): Promise<AuthError> {
  try {
    await promise;
  } catch (error) {
    if (isAuthError(error)) return error;
    throw error;
  }
  throw new Error("expected an AuthError, but the promise resolved");
}
