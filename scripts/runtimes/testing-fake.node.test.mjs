// node --test: the testing-fake cases with Node's own test runner.
import { test } from "node:test";
import { cases } from "./testing-fake.cases.mjs";

for (const [name, run] of cases) test(name, run);
