#!/usr/bin/env node
// Runs the parley CLI from its TypeScript sources (tsx compiles on the fly),
// so scenario files written in TypeScript load the same way.
import { register } from "tsx/esm/api"

register()
await import("../src/cli/main.ts")
