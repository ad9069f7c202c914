// CommonJS consumers: @payauth/maxpay is ESM only, so this relies on require(esm)
// (unflagged in Node 20.19+, 22.12+ and 24). release-check.sh runs it on each.
const maxpay = require("@payauth/maxpay");
console.log(`cjs maxpay typeof createMaxPayClient === "${typeof maxpay.createMaxPayClient}" ${process.version}`);
