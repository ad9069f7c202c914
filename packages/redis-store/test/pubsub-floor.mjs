// The fleet benchmark's reference (bench/fleet-bench.mjs): a subscriber in its own process that
// times each raw PUBLISH one way (the publisher's epoch time in the message), with no payauth code,
// and sends the 200 delays back.
import { Redis } from "ioredis";

const sub = new Redis({ port: Number(process.env.REDIS_PORT), host: "127.0.0.1" });
const delays = [];
sub.on("message", (_channel, message) => {
  delays.push(performance.timeOrigin + performance.now() - Number(message));
  if (delays.length === 200) process.send(delays, () => sub.disconnect());
});
await sub.subscribe("payauth:floor");
process.send("subscribed");
