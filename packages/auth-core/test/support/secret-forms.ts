/** Forms a secret takes on the wire, for searches in tests: literal, JSON-escaped, percent- and form-encoded, base64. */
export function secretForms(secret: string): string[] {
  const forms = new Set([
    secret,
    JSON.stringify(secret).slice(1, -1),
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
    Buffer.from(secret).toString("base64").replace(/=+$/, ""),
    Buffer.from(secret).toString("base64url"),
  ]);
  return [...forms].filter((f) => f.length >= 4);
}
