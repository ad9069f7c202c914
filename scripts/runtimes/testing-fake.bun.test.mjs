// bun test: the testing-fake cases with Bun's own test runner.
import { test } from "bun:test";
import { cases } from "./testing-fake.cases.mjs";

for (const [name, run] of cases) test(name, run);
