/**
 * Private nats-servers for the fault suites, started from configuration
 * files in a temporary directory: plain JetStream servers, clusters, servers
 * with users, tokens and TLS. Every server listens on a free loopback port;
 * each test stops what it started (by its own child process), even on
 * failure. The system server on 4222 is never touched.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as NatsServer from "../../support/NatsServer.ts"

export { describeWithNats } from "../../support/WithNats.ts"

/** A free TCP port on 127.0.0.1. */
export const freePort = NatsServer.freePort

/** A temporary directory removed by {@link removeDir}. */
export const tempDir = (name: string) => mkdtempSync(join(tmpdir(), `parley-${name}-`))
export const removeDir = (dir: string) => rmSync(dir, { recursive: true, force: true })

/** One server started from a configuration file. */
export interface ConfiguredServer {
  readonly name: string
  readonly port: number
  readonly url: string
  /** SIGKILL, nothing flushed. */
  readonly kill: () => Promise<void>
  /** Starts it again with the same configuration (same port, same store). */
  readonly restart: () => Promise<void>
  readonly running: () => boolean
  /** SIGTERM (SIGKILL after 5 s). */
  readonly stop: () => Promise<void>
  /** What it wrote on stderr (bounded). */
  readonly log: () => string
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve()
    else child.once("exit", () => resolve())
  })

const launch = (configFile: string, name: string, sink: { log: string }) =>
  new Promise<ChildProcess>((resolve, reject) => {
    const child = spawn(NatsServer.binary, ["-c", configFile], {
      stdio: ["ignore", "ignore", "pipe"],
    })
    const timer = setTimeout(() => {
      child.kill("SIGKILL")
      reject(new Error(`nats-server ${name} did not become ready:\n${sink.log}`))
    }, 20_000)
    child.once("error", (e) => {
      clearTimeout(timer)
      reject(e)
    })
    const early = (code: number | null) => {
      clearTimeout(timer)
      reject(new Error(`nats-server ${name} exited with ${code} before it was ready:\n${sink.log}`))
    }
    child.once("exit", early)
    child.stderr?.setEncoding("utf8")
    let ready = false
    child.stderr?.on("data", (chunk: string) => {
      if (sink.log.length < 200_000) sink.log += chunk
      if (!ready && sink.log.includes("Server is ready")) {
        ready = true
        clearTimeout(timer)
        child.off("exit", early)
        resolve(child)
      }
    })
  })

/**
 * Starts `nats-server -c <dir>/<name>.conf` with the given configuration
 * text (which must bind 127.0.0.1 and `port`).
 */
export const startConfigured = async (
  dir: string,
  name: string,
  port: number,
  config: string,
): Promise<ConfiguredServer> => {
  const file = join(dir, `${name}.conf`)
  writeFileSync(file, config)
  const sink = { log: "" }
  let child: ChildProcess | undefined = await launch(file, name, sink)
  const kill = async () => {
    if (child === undefined) return
    const dying = child
    child = undefined
    dying.kill("SIGKILL")
    await exited(dying)
  }
  return {
    name,
    port,
    url: `nats://127.0.0.1:${port}`,
    kill,
    restart: async () => {
      await kill()
      child = await launch(file, name, sink)
    },
    running: () => child !== undefined,
    stop: async () => {
      if (child === undefined) return
      const stopping = child
      child = undefined
      stopping.kill("SIGTERM")
      const timer = setTimeout(() => stopping.kill("SIGKILL"), 5_000)
      await exited(stopping)
      clearTimeout(timer)
    },
    log: () => sink.log,
  }
}

/** A single JetStream server with `extra` configuration (authorization, tls, ...). */
export const startSingle = async (dir: string, name: string, extra = "") => {
  const port = await freePort()
  return startConfigured(
    dir,
    name,
    port,
    `server_name: ${name}
listen: "127.0.0.1:${port}"
jetstream { store_dir: "${join(dir, `${name}-js`)}" }
${extra}
`,
  )
}

/** A three-node JetStream cluster on loopback ports. */
export const startCluster = async (dir: string, size = 3) => {
  const ports = await Promise.all(Array.from({ length: size }, () => freePort()))
  const routes = await Promise.all(Array.from({ length: size }, () => freePort()))
  const names = ports.map((_, i) => `n${i + 1}`)
  const configOf = (i: number) => `server_name: ${names[i]}
listen: "127.0.0.1:${ports[i]}"
jetstream { store_dir: "${join(dir, `${names[i]}-js`)}" }
cluster {
  name: parley-faults
  listen: "127.0.0.1:${routes[i]}"
  routes: [${routes
    .filter((_, j) => j !== i)
    .map((p) => `"nats-route://127.0.0.1:${p}"`)
    .join(", ")}]
}
`
  return Promise.all(names.map((name, i) => startConfigured(dir, name, ports[i] ?? 0, configOf(i))))
}

/** Stops every server given, ignoring those already down. */
export const stopAll = async (servers: ReadonlyArray<ConfiguredServer | undefined>) => {
  await Promise.all(servers.map((s) => s?.stop().catch(() => undefined)))
}

/** Resolves after `ms`. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Retries `f` until it succeeds or `ms` pass (then throws its last error). */
export const eventually = async <A>(f: () => Promise<A>, ms = 20_000, every = 200) => {
  const end = Date.now() + ms
  for (;;) {
    try {
      return await f()
    } catch (e) {
      if (Date.now() > end) throw e
      await sleep(every)
    }
  }
}
