/**
 * A private `nats-server -js` for tests: a free loopback port, a temporary
 * store directory, and the means to kill it (SIGKILL) and start it again on
 * the same port and directory.
 *
 * With `CI=true` a missing `nats-server` fails the suite; elsewhere the suite
 * may be skipped, with the reason printed.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"

/** The server binary: `$NATS_SERVER` or `nats-server` on the PATH. */
export const binary = process.env.NATS_SERVER ?? "nats-server"

/** Whether the binary runs; the reason when it does not. */
export const availability = (): { readonly ok: true } | { readonly ok: false; reason: string } => {
  const probe = spawnSync(binary, ["--version"], { encoding: "utf8" })
  if (probe.error !== undefined || probe.status !== 0)
    return {
      ok: false,
      reason: `${binary} is not runnable (${probe.error?.message ?? probe.stderr.trim()}); install nats-server (apt-get install nats-server) or set NATS_SERVER`,
    }
  return { ok: true }
}

/** Whether a missing server must fail the run (`CI=true`). */
export const required = process.env.CI === "true"

/** A free TCP port on 127.0.0.1. */
export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      server.close(() =>
        typeof address === "object" && address !== null
          ? resolve(address.port)
          : reject(new Error("no port")),
      )
    })
  })

/** A running test server. */
export interface NatsServer {
  readonly url: string
  readonly port: number
  readonly storeDir: string
  /** kill -9: acked messages survive, nothing is flushed or closed cleanly. */
  readonly kill: () => Promise<void>
  /** Starts it again on the same port and store directory. */
  readonly restart: () => Promise<void>
  /** Stops it and removes its store directory. */
  readonly stop: () => Promise<void>
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve()
    else child.once("exit", () => resolve())
  })

/** What a test server may add to the defaults: a config file (`-c FILE`), environment for it. */
export interface StartOptions {
  readonly args?: ReadonlyArray<string> | undefined
  readonly env?: Readonly<Record<string, string>> | undefined
}

const launch = (port: number, storeDir: string, options: StartOptions = {}) =>
  new Promise<ChildProcess>((resolve, reject) => {
    const child = spawn(
      binary,
      [...(options.args ?? []), "-js", "-a", "127.0.0.1", "-p", String(port), "-sd", storeDir],
      {
        stdio: ["ignore", "ignore", "pipe"],
        env: options.env === undefined ? process.env : { ...process.env, ...options.env },
      },
    )
    let log = ""
    const timer = setTimeout(() => {
      child.kill("SIGKILL")
      reject(new Error(`nats-server did not become ready on port ${port}:\n${log}`))
    }, 15_000)
    child.once("error", (e) => {
      clearTimeout(timer)
      reject(e)
    })
    child.once("exit", (code) => {
      clearTimeout(timer)
      reject(new Error(`nats-server exited with ${code} before it was ready:\n${log}`))
    })
    child.stderr?.setEncoding("utf8")
    let ready = false
    child.stderr?.on("data", (chunk: string) => {
      if (ready) return
      if (log.length < 20_000) log += chunk
      if (log.includes("Server is ready")) {
        ready = true
        clearTimeout(timer)
        child.removeAllListeners("exit")
        resolve(child)
      }
    })
  })

/**
 * Starts a JetStream server on a free loopback port with a fresh store
 * directory. A port found free can be taken by another test before the server
 * binds it: a server that exits before it is ready is tried again on another
 * port (three tries).
 */
export const start = async (options: StartOptions = {}): Promise<NatsServer> => {
  const storeDir = mkdtempSync(join(tmpdir(), "parley-nats-"))
  let port = 0
  let child: ChildProcess | undefined
  for (let attempt = 1; child === undefined; attempt++) {
    port = await freePort()
    try {
      child = await launch(port, storeDir, options)
    } catch (e) {
      if (attempt >= 3) throw e
    }
  }
  const kill = async () => {
    if (child === undefined) return
    const dying = child
    child = undefined
    dying.kill("SIGKILL")
    await exited(dying)
  }
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    storeDir,
    kill,
    restart: async () => {
      await kill()
      child = await launch(port, storeDir, options)
    },
    stop: async () => {
      if (child !== undefined) {
        const stopping = child
        child = undefined
        stopping.kill("SIGTERM")
        const timer = setTimeout(() => stopping.kill("SIGKILL"), 5_000)
        await exited(stopping)
        clearTimeout(timer)
      }
      rmSync(storeDir, { recursive: true, force: true })
    },
  }
}
