// Entry point of every thread that plays negotiations, started from the
// sources (see PlayingThread.ts): threads start without the parent's
// TypeScript loader, so register it, then load the thread's module, whose
// URL is the thread's last argument.
import { register } from "tsx/esm/api"

register()
await import(process.argv.at(-1))
