// Serves one provider's fake (from `@payauth/<provider>/testing`) on 127.0.0.1 until killed.
// Prints one line on stdout: `<url> <clientId> <clientSecret>` (the fake's test credentials).
// Run from the release copy (release-check.sh puts it there), so the imports resolve to the
// copy's built packages.
//   node serve-fake.mjs maxpay|payme|getpaid|autopay
const provider = process.argv[2];

const fakes = {
  maxpay: async () => {
    const { createMaxPayFake, maxPayFakeCredentials } = await import("@payauth/maxpay/testing");
    return [createMaxPayFake(), maxPayFakeCredentials];
  },
  payme: async () => {
    const { createPayMeFake, payMeFakeCredentials } = await import("@payauth/payme/testing");
    return [createPayMeFake(), payMeFakeCredentials];
  },
  getpaid: async () => {
    const { createGetpaidFake, getpaidFakeCredentials } = await import("@payauth/getpaid/testing");
    return [createGetpaidFake(), getpaidFakeCredentials.sandbox];
  },
  autopay: async () => {
    const { createAutopayFake, autopayFakeCredentials } = await import("@payauth/autopay/testing");
    return [createAutopayFake(), autopayFakeCredentials];
  },
};

if (!Object.hasOwn(fakes, provider)) {
  console.error(`serve-fake: unknown provider ${JSON.stringify(provider)} (expected ${Object.keys(fakes).join(", ")})`);
  process.exit(2);
}
const [fake, credentials] = await fakes[provider]();
const server = await fake.serve(); // 127.0.0.1, free port
console.log(`${server.url} ${credentials.clientId} ${credentials.clientSecret}`);

// Stay up until release-check.sh stops us (by pid).
const stop = () => server.close().finally(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
