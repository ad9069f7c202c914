// deno test: the testing-fake cases with Deno's own test runner.
import { cases } from "./testing-fake.cases.mjs";

for (const [name, fn] of cases) Deno.test({ name, fn });
