/**
 * Every command of `parley`, each given the loader of its handler: the
 * command lines (`./commands/`) are small and all the help and the parser
 * need; a command's handler, with everything it imports, is loaded only when
 * that command runs (`./commands/Lazy.ts`, docs/PERFORMANCE.md
 * "Start-up"). Joining them here keeps the dependency one way: a handler
 * imports its command's argument type, and no command module imports its
 * handler. A new command adds its light module and its handler's loader
 * here, and its place in {@link commands}.
 *
 * @since 0.4.0
 */
import * as Agent from "./commands/agent.ts"
import * as Agents from "./commands/agents.ts"
import * as Analyze from "./commands/analyze.ts"
import * as Batches from "./commands/batches.ts"
import * as Export from "./commands/export.ts"
import * as ImportDomain from "./commands/importDomain.ts"
import * as ImportLog from "./commands/importLog.ts"
import { loadedHandler } from "./commands/Lazy.ts"
import * as Project from "./commands/project.ts"
import * as Replay from "./commands/replay.ts"
import * as Report from "./commands/report.ts"
import * as Run from "./commands/run.ts"
import * as Schema from "./commands/schema.ts"
import * as Serve from "./commands/serve.ts"
import * as Simulate from "./commands/simulate.ts"
import * as Strategies from "./commands/strategies.ts"
import * as Sweep from "./commands/sweep.ts"
import * as Tournament from "./commands/tournament.ts"
import * as Validate from "./commands/validate.ts"
import * as Watch from "./commands/watch.ts"
import * as Worker from "./commands/worker.ts"

const importHandlers = () => import("./importDomain.ts")

/** `parley run`. */
export const run = Run.command(
  loadedHandler(
    () => import("./run.ts"),
    (m) => m.handlers.run,
  ),
)

/** `parley simulate`. */
export const simulate = Simulate.command(
  loadedHandler(
    () => import("./simulate.ts"),
    (m) => m.handlers.simulate,
  ),
)

/** `parley analyze`. */
export const analyze = Analyze.command(
  loadedHandler(
    () => import("./analyze.ts"),
    (m) => m.handlers.analyze,
  ),
)

/** `parley report`. */
export const report = Report.command(
  loadedHandler(
    () => import("./report.ts"),
    (m) => m.handlers.report,
  ),
)

/** `parley serve`. */
export const serve = Serve.command(
  loadedHandler(
    () => import("./serve.ts"),
    (m) => m.handlers.serve,
  ),
)

/** `parley import`. */
export const importDomain = ImportDomain.command({
  genius: loadedHandler(importHandlers, (m) => m.handlers.genius),
  geniusweb: loadedHandler(importHandlers, (m) => m.handlers.geniusweb),
})

/** `parley replay`. */
export const replay = Replay.command(
  loadedHandler(
    () => import("./replay.ts"),
    (m) => m.handlers.replay,
  ),
)

/** `parley validate`. */
export const validate = Validate.command(
  loadedHandler(
    () => import("./validate.ts"),
    (m) => m.handlers.validate,
  ),
)

/** `parley export`. */
export const exportLog = Export.command(
  loadedHandler(
    () => import("./export.ts"),
    (m) => m.handlers.export,
  ),
)

/** `parley import-log`. */
export const importLog = ImportLog.command(
  loadedHandler(
    () => import("./importLog.ts"),
    (m) => m.handlers["import-log"],
  ),
)

/** `parley project`. */
export const project = Project.command(
  loadedHandler(
    () => import("./project.ts"),
    (m) => m.handlers.project,
  ),
)

/** `parley watch`. */
export const watch = Watch.command(
  loadedHandler(
    () => import("./watch.ts"),
    (m) => m.handlers.watch,
  ),
)

/** `parley schema`. */
export const schema = Schema.command(
  loadedHandler(
    () => import("./schema.ts"),
    (m) => m.handlers.schema,
  ),
)

/** `parley strategies`. */
export const strategies = Strategies.command(
  loadedHandler(
    () => import("./strategies.ts"),
    (m) => m.handlers.strategies,
  ),
)

/** `parley tournament`. */
export const tournament = Tournament.command(
  loadedHandler(
    () => import("./tournament.ts"),
    (m) => m.handlers.tournament,
  ),
)

/** `parley sweep`. */
export const sweep = Sweep.command(
  loadedHandler(
    () => import("./sweep.ts"),
    (m) => m.handlers.sweep,
  ),
)

/** `parley agent`. */
export const agent = Agent.command({
  serve: loadedHandler(
    () => import("./agent.ts"),
    (m) => m.handlers.serve,
  ),
})

/** `parley agents`. */
export const agents = Agents.command(
  loadedHandler(
    () => import("./agents.ts"),
    (m) => m.handlers.agents,
  ),
)

/** `parley worker`. */
export const worker = Worker.command(
  loadedHandler(
    () => import("./worker.ts"),
    (m) => m.handlers.worker,
  ),
)

/** `parley batches`. */
export const batches = Batches.command(
  loadedHandler(
    () => import("./batches.ts"),
    (m) => m.handlers.batches,
  ),
)

/** The commands in the order of the help. */
export const commands = [
  run,
  simulate,
  analyze,
  report,
  serve,
  importDomain,
  replay,
  validate,
  exportLog,
  importLog,
  project,
  watch,
  schema,
  strategies,
  tournament,
  sweep,
  agent,
  agents,
  worker,
  batches,
] as const
