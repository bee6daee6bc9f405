#!/usr/bin/env node
// Runs the parley CLI from its TypeScript sources (tsx compiles on the fly),
// so scenario files written in TypeScript load the same way.
import { register } from "tsx/esm/api"

// A reader that stops early (`parley replay ... | head`) is not an error.
for (const stream of [process.stdout, process.stderr])
  stream.on("error", (e) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0)
    throw e
  })

register()
await import("../src/cli/main.ts")
