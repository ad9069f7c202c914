// Runs one compiled README example as a user's script would run, then exits: the fakes the
// preload serves (and clients such as ioredis) would otherwise keep the process alive.
//   node --import ./preload.mjs run-example.mjs dist/readme-<package>-<n>.js
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

await import(pathToFileURL(resolve(process.argv[2])).href);
process.exit(0);
