// Entry point of a tournament worker thread: workers start without the
// parent's TypeScript loader, so register it before loading the worker.
import { register } from "tsx/esm/api"

register()
await import("./Worker.ts")
