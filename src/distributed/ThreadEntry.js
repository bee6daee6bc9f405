// Entry point of a `parley worker` thread: threads start without the
// parent's TypeScript loader, so register it before loading the thread.
import { register } from "tsx/esm/api"

register()
await import("./Thread.ts")
