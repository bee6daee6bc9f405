/**
 * One writer per JSONL log: an exclusive lock file `<log>.lock`, created with
 * `O_EXCL` and holding the writer's pid, removed when the writer closes the
 * log (or exits). A lock whose process is gone (killed, crashed) is stale and
 * taken over. Within one process the lock is shared by every store open on
 * the file, and released when the last of them lets go.
 *
 * @since 0.3.0
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs"

/** The process holding the lock at `lockPath`, when another live one does. */
export interface Held {
  readonly pid: number | undefined
}

/** How many holds this process has on each lock file. */
const holds = new Map<string, number>()

/** Whether process `pid` is alive (a process of another user counts as alive). */
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM"
  }
}

/** The pid written in a lock file; undefined when it cannot be read or is not a pid. */
const ownerOf = (lockPath: string): number | undefined => {
  try {
    const pid = Number(readFileSync(lockPath, "utf8").trim())
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined
  } catch {
    return undefined
  }
}

let exitHook = false
/** Removes this process's locks at exit (a store that is never closed). */
const releaseAllAtExit = () => {
  if (exitHook) return
  exitHook = true
  process.once("exit", () => {
    for (const lockPath of holds.keys()) removeOwn(lockPath)
    holds.clear()
  })
}

const removeOwn = (lockPath: string) => {
  if (ownerOf(lockPath) !== process.pid) return
  try {
    unlinkSync(lockPath)
  } catch {
    // already gone
  }
}

/**
 * Takes the lock at `lockPath` for this process: `undefined` when taken,
 * else who holds it. Throws on an I/O error other than the file existing.
 */
export const acquire = (lockPath: string): Held | undefined => {
  const count = holds.get(lockPath)
  if (count !== undefined && ownerOf(lockPath) === process.pid) {
    holds.set(lockPath, count + 1)
    return undefined
  }
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lockPath, "wx")
      try {
        writeSync(fd, `${process.pid}\n`)
      } finally {
        closeSync(fd)
      }
      holds.set(lockPath, 1)
      releaseAllAtExit()
      return undefined
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e
    }
    const pid = ownerOf(lockPath)
    if (pid === process.pid) {
      // Left by this process's earlier hold on the same file (e.g. under another name).
      holds.set(lockPath, 1)
      releaseAllAtExit()
      return undefined
    }
    // A lock being written has no pid yet: give its writer a moment before calling it stale.
    if (pid === undefined && attempt === 0) {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50)
      continue
    }
    if (pid !== undefined && alive(pid)) return { pid }
    // Stale: remove it unless another process has taken it over meanwhile.
    if (ownerOf(lockPath) === pid)
      try {
        unlinkSync(lockPath)
      } catch {
        // another process removed it first: the next attempt sees whose it is now
      }
  }
  return { pid: ownerOf(lockPath) }
}

/** Lets go of one hold on `lockPath`; the file goes with the last one. */
export const release = (lockPath: string): void => {
  const count = holds.get(lockPath)
  if (count === undefined) return
  if (count > 1) {
    holds.set(lockPath, count - 1)
    return
  }
  holds.delete(lockPath)
  removeOwn(lockPath)
}
