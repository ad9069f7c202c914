export { createHandlersFetch, serveHandlers, type FakeServer, type ServeOptions } from "./serve-handlers.js";
export { createManualClock, type ManualClock } from "./create-manual-clock.js";
